// A small vector type over SLEEF's double-precision array functions, for the batch samplers.
// One backend is chosen at compile time from the build's instruction set (CLIPSIM_SIMD):
// AVX-512 (8 lanes), AVX2 + FMA (4 lanes), SSE2 (2 lanes), or SLEEF's scalar functions (1 lane)
// elsewhere. Each backend calls fixed SLEEF functions, so the draws of one build are reproducible
// bit for bit; builds with different instruction sets may differ in the last bits (the build
// records its set in build_info::kSimd).
//
// Accuracy (SLEEF 3.5 documentation): Log and SinCosPi within 3.5 ulp (Log within 1.0 ulp on
// AVX-512, see there), Exp and Expm1 within 1.0 ulp, Sqrt and the arithmetic correctly rounded.
// UniformFromBits is exact.
#pragma once

#include <sleef.h>

#include <bit>
#include <cstdint>

#include "clipsim/core/rng.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#define CLIPSIM_VEC_AVX512 1
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define CLIPSIM_VEC_AVX2 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#define CLIPSIM_VEC_SSE2 1
#endif

namespace clipsim::noise::detail {

#if defined(CLIPSIM_VEC_AVX512)

struct Vec {
  __m512d v;
  static constexpr int kLanes = 8;
};
inline Vec Broadcast(double x) {
  return {_mm512_set1_pd(x)};
}
inline Vec Load(const double* p) {
  return {_mm512_loadu_pd(p)};
}
inline void Store(double* p, Vec a) {
  _mm512_storeu_pd(p, a.v);
}
inline Vec operator+(Vec a, Vec b) {
  return {_mm512_add_pd(a.v, b.v)};
}
inline Vec operator-(Vec a, Vec b) {
  return {_mm512_sub_pd(a.v, b.v)};
}
inline Vec operator*(Vec a, Vec b) {
  return {_mm512_mul_pd(a.v, b.v)};
}
inline Vec operator/(Vec a, Vec b) {
  return {_mm512_div_pd(a.v, b.v)};
}
inline Vec Sqrt(Vec a) {
  return {_mm512_sqrt_pd(a.v)};
}
// The 1.0-ulp log, not the 3.5-ulp one of the other sets: SLEEF 3.5's u35 AVX-512 log fixes its
// special values with a merge-masked broadcast load that ran 30x slower than the whole u10 function
// on an AMD EPYC (Zen 4) VM (45 vs 1340 M values/s; 57% of a d = 1 sweep's time in perf). On AVX2
// and SSE2 the u35 log is the faster one (690 vs 384 M/s there), so they keep it.
inline Vec Log(Vec a) {
  return {Sleef_logd8_u10avx512f(a.v)};
}
inline Vec Exp(Vec a) {
  return {Sleef_expd8_u10avx512f(a.v)};
}
inline Vec Expm1(Vec a) {
  return {Sleef_expm1d8_u10avx512f(a.v)};
}
struct VecPair {
  Vec sin;
  Vec cos;
};
inline VecPair SinCosPi(Vec a) {
  const Sleef___m512d_2 r = Sleef_sincospid8_u35avx512f(a.v);
  return {{r.x}, {r.y}};
}
inline Vec UniformFromBits(Vec bits) {
  const __m512i m = _mm512_or_si512(_mm512_srli_epi64(_mm512_castpd_si512(bits.v), 12),
                                    _mm512_set1_epi64(0x3FF0000000000000LL));
  return {_mm512_add_pd(_mm512_sub_pd(_mm512_castsi512_pd(m), _mm512_set1_pd(1.0)),
                        _mm512_set1_pd(0x1.0p-53))};
}

#elif defined(CLIPSIM_VEC_AVX2)

struct Vec {
  __m256d v;
  static constexpr int kLanes = 4;
};
inline Vec Broadcast(double x) {
  return {_mm256_set1_pd(x)};
}
inline Vec Load(const double* p) {
  return {_mm256_loadu_pd(p)};
}
inline void Store(double* p, Vec a) {
  _mm256_storeu_pd(p, a.v);
}
inline Vec operator+(Vec a, Vec b) {
  return {_mm256_add_pd(a.v, b.v)};
}
inline Vec operator-(Vec a, Vec b) {
  return {_mm256_sub_pd(a.v, b.v)};
}
inline Vec operator*(Vec a, Vec b) {
  return {_mm256_mul_pd(a.v, b.v)};
}
inline Vec operator/(Vec a, Vec b) {
  return {_mm256_div_pd(a.v, b.v)};
}
inline Vec Sqrt(Vec a) {
  return {_mm256_sqrt_pd(a.v)};
}
inline Vec Log(Vec a) {
  return {Sleef_logd4_u35avx2(a.v)};
}
inline Vec Exp(Vec a) {
  return {Sleef_expd4_u10avx2(a.v)};
}
inline Vec Expm1(Vec a) {
  return {Sleef_expm1d4_u10avx2(a.v)};
}
struct VecPair {
  Vec sin;
  Vec cos;
};
inline VecPair SinCosPi(Vec a) {
  const Sleef___m256d_2 r = Sleef_sincospid4_u35avx2(a.v);
  return {{r.x}, {r.y}};
}
inline Vec UniformFromBits(Vec bits) {
  const __m256i m = _mm256_or_si256(_mm256_srli_epi64(_mm256_castpd_si256(bits.v), 12),
                                    _mm256_set1_epi64x(0x3FF0000000000000LL));
  return {_mm256_add_pd(_mm256_sub_pd(_mm256_castsi256_pd(m), _mm256_set1_pd(1.0)),
                        _mm256_set1_pd(0x1.0p-53))};
}

#elif defined(CLIPSIM_VEC_SSE2)

struct Vec {
  __m128d v;
  static constexpr int kLanes = 2;
};
inline Vec Broadcast(double x) {
  return {_mm_set1_pd(x)};
}
inline Vec Load(const double* p) {
  return {_mm_loadu_pd(p)};
}
inline void Store(double* p, Vec a) {
  _mm_storeu_pd(p, a.v);
}
inline Vec operator+(Vec a, Vec b) {
  return {_mm_add_pd(a.v, b.v)};
}
inline Vec operator-(Vec a, Vec b) {
  return {_mm_sub_pd(a.v, b.v)};
}
inline Vec operator*(Vec a, Vec b) {
  return {_mm_mul_pd(a.v, b.v)};
}
inline Vec operator/(Vec a, Vec b) {
  return {_mm_div_pd(a.v, b.v)};
}
inline Vec Sqrt(Vec a) {
  return {_mm_sqrt_pd(a.v)};
}
inline Vec Log(Vec a) {
  return {Sleef_logd2_u35sse2(a.v)};
}
inline Vec Exp(Vec a) {
  return {Sleef_expd2_u10sse2(a.v)};
}
inline Vec Expm1(Vec a) {
  return {Sleef_expm1d2_u10sse2(a.v)};
}
struct VecPair {
  Vec sin;
  Vec cos;
};
inline VecPair SinCosPi(Vec a) {
  const Sleef___m128d_2 r = Sleef_sincospid2_u35sse2(a.v);
  return {{r.x}, {r.y}};
}
inline Vec UniformFromBits(Vec bits) {
  const __m128i m = _mm_or_si128(_mm_srli_epi64(_mm_castpd_si128(bits.v), 12),
                                 _mm_set1_epi64x(0x3FF0000000000000LL));
  return {_mm_add_pd(_mm_sub_pd(_mm_castsi128_pd(m), _mm_set1_pd(1.0)), _mm_set1_pd(0x1.0p-53))};
}

#else

struct Vec {
  double v;
  static constexpr int kLanes = 1;
};
inline Vec Broadcast(double x) {
  return {x};
}
inline Vec Load(const double* p) {
  return {*p};
}
inline void Store(double* p, Vec a) {
  *p = a.v;
}
inline Vec operator+(Vec a, Vec b) {
  return {a.v + b.v};
}
inline Vec operator-(Vec a, Vec b) {
  return {a.v - b.v};
}
inline Vec operator*(Vec a, Vec b) {
  return {a.v * b.v};
}
inline Vec operator/(Vec a, Vec b) {
  return {a.v / b.v};
}
inline Vec Sqrt(Vec a) {
  return {Sleef_sqrt_u05(a.v)};
}
inline Vec Log(Vec a) {
  return {Sleef_log_u35(a.v)};
}
inline Vec Exp(Vec a) {
  return {Sleef_exp_u10(a.v)};
}
inline Vec Expm1(Vec a) {
  return {Sleef_expm1_u10(a.v)};
}
struct VecPair {
  Vec sin;
  Vec cos;
};
inline VecPair SinCosPi(Vec a) {
  const Sleef_double2 r = Sleef_sincospi_u35(a.v);
  return {{r.x}, {r.y}};
}
inline Vec UniformFromBits(Vec bits) {
  return {UniformOpen01(std::bit_cast<std::uint64_t>(bits.v))};
}

#endif

inline constexpr int kLanes = Vec::kLanes;

// A generator draw kept as the bit pattern of a double, so that the scalar draw loop only stores
// it and UniformFromBits converts a whole vector at once. UniformFromBits(RawBits(x)) equals
// UniformOpen01(x) bit for bit: (x >> 12) placed in the mantissa of [1, 2), minus 1, plus 2^-53,
// all exact.
inline double RawBits(std::uint64_t x) {
  return std::bit_cast<double>(x);
}

}  // namespace clipsim::noise::detail
