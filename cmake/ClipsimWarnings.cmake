# Warnings for clipsim's own targets (third-party headers come in as SYSTEM and stay quiet).
add_library(clipsim_warnings INTERFACE)
target_compile_options(clipsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wimplicit-fallthrough -Wcast-align -Wnull-dereference)
# GCC 12 reports -Wrestrict inside libstdc++'s std::string operator+ at -O2 although no overlap is
# possible (GCC bug 105651, fixed in GCC 13); it would fail -Werror builds on correct code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(clipsim_warnings INTERFACE -Wno-restrict)
endif()
if(CLIPSIM_WERROR)
  target_compile_options(clipsim_warnings INTERFACE -Werror)
endif()

# clipsim_library(NAME <target> [EXCLUDE <sources>...] [LINK <targets>...]): a library from
# <folder>/src/*.cpp with its public headers in <folder>/include. Sources are globbed so a new file
# needs no CMake edit; EXCLUDE (paths relative to <folder>) leaves out those that another target of
# the folder builds.
function(clipsim_library name)
  cmake_parse_arguments(ARG "" "" "LINK;EXCLUDE" ${ARGN})
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  foreach(_excluded ${ARG_EXCLUDE})
    list(REMOVE_ITEM _srcs ${CMAKE_CURRENT_SOURCE_DIR}/${_excluded})
  endforeach()
  if(_srcs)
    add_library(${name} STATIC ${_srcs})
    target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                       PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(${name} PUBLIC ${ARG_LINK} PRIVATE clipsim_warnings)
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${name} INTERFACE ${ARG_LINK})
  endif()
endfunction()
