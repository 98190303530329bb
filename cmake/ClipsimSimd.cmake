# Chooses the vector instruction set once for the whole build and records it, because vectorized
# math (Sleef, Eigen) on another instruction set may round differently in the last bit: results are
# bit-identical only between builds with the same CLIPSIM_SIMD_NAME (the manifest carries it).
include(CheckCXXSourceRuns)

if(CLIPSIM_SIMD STREQUAL "auto")
  set(CMAKE_REQUIRED_FLAGS "-mavx2 -mfma")
  check_cxx_source_runs("
    int main() {
      __builtin_cpu_init();
      return (__builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"fma\")) ? 0 : 1;
    }" CLIPSIM_HOST_HAS_AVX2)
  unset(CMAKE_REQUIRED_FLAGS)
  if(CLIPSIM_HOST_HAS_AVX2)
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
message(STATUS "clipsim: vector instruction set ${CLIPSIM_SIMD_NAME}")
