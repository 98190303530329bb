# Chooses the vector instruction set once for the whole build and records it, because vectorized
# math (Sleef, Eigen) on another instruction set may round differently in the last bit: results are
# bit-identical only between builds with the same CLIPSIM_SIMD_NAME (the manifest carries it).
include(CheckCXXSourceRuns)

# auto takes the widest set the build host runs: AVX-512 (F and DQ, the parts SLEEF's and the
# sampler's 8-lane code use) gives about 1.6x the stable draws per second of AVX2 on an AVX-512
# machine (bench_noise). A cluster whose nodes differ builds once with the set of its oldest node
# (-DCLIPSIM_SIMD=avx2, say), so that every node runs the same binary and gives the same bits.
if(CLIPSIM_SIMD STREQUAL "auto")
  set(CMAKE_REQUIRED_FLAGS "-mavx512f -mavx512dq -mavx2 -mfma")
  check_cxx_source_runs("
    int main() {
      __builtin_cpu_init();
      return (__builtin_cpu_supports(\"avx512f\") && __builtin_cpu_supports(\"avx512dq\")) ? 0 : 1;
    }" CLIPSIM_HOST_HAS_AVX512)
  set(CMAKE_REQUIRED_FLAGS "-mavx2 -mfma")
  check_cxx_source_runs("
    int main() {
      __builtin_cpu_init();
      return (__builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"fma\")) ? 0 : 1;
    }" CLIPSIM_HOST_HAS_AVX2)
  unset(CMAKE_REQUIRED_FLAGS)
  if(CLIPSIM_HOST_HAS_AVX512)
    set(CLIPSIM_SIMD_NAME "avx512")
  elseif(CLIPSIM_HOST_HAS_AVX2)
    set(CLIPSIM_SIMD_NAME "avx2")
  else()
    set(CLIPSIM_SIMD_NAME "sse2")
  endif()
else()
  set(CLIPSIM_SIMD_NAME "${CLIPSIM_SIMD}")
endif()

if(CLIPSIM_SIMD_NAME STREQUAL "avx512")
  set(CLIPSIM_SIMD_FLAGS -mavx512f -mavx512dq -mavx2 -mfma)
elseif(CLIPSIM_SIMD_NAME STREQUAL "avx2")
  set(CLIPSIM_SIMD_FLAGS -mavx2 -mfma)
elseif(CLIPSIM_SIMD_NAME STREQUAL "sse2")
  set(CLIPSIM_SIMD_FLAGS "")
else()
  message(FATAL_ERROR "CLIPSIM_SIMD='${CLIPSIM_SIMD}': allowed values are auto, avx512, avx2, sse2")
endif()
add_compile_options(${CLIPSIM_SIMD_FLAGS})
# GCC 12's AVX-512 intrinsics pass a self-initialized "undefined" vector as the pass-through operand
# (_mm512_undefined_pd, _mm256_undefined_pd), which -Wmaybe-uninitialized reports wherever they are
# inlined, Eigen's reductions included (GCC bug 105593, fixed in GCC 13). Only that combination
# turns the warning off; every other build keeps it.
if(CLIPSIM_SIMD_NAME STREQUAL "avx512" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-maybe-uninitialized)
endif()
message(STATUS "clipsim: vector instruction set ${CLIPSIM_SIMD_NAME}")
