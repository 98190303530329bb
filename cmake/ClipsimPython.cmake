# Finds what the Python module (python/) needs and sets CLIPSIM_PYTHON_ENABLED.
# The interpreter is Debian's /usr/bin/python3 unless Python3_EXECUTABLE is given: its numpy,
# pandas and pytest are Debian packages, and a pyenv or conda `python3` first on PATH would build a
# module that the system interpreter cannot import. pybind11 (Debian's pybind11-dev) is found after
# Python3, so that it uses this interpreter (its FindPython mode) instead of searching again.
set(CLIPSIM_PYTHON_ENABLED OFF)
if(CLIPSIM_PYTHON STREQUAL "OFF" OR CLIPSIM_SANITIZE OR CLIPSIM_FUZZ)
  return()
endif()
if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python interpreter of the python/ module")
endif()
find_package(Python3 COMPONENTS Interpreter Development.Module NumPy QUIET)
if(Python3_FOUND AND Python3_NumPy_FOUND)
  find_package(pybind11 CONFIG QUIET)
endif()
if(Python3_FOUND AND Python3_NumPy_FOUND AND pybind11_FOUND)
  set(CLIPSIM_PYTHON_ENABLED ON)
  message(STATUS "clipsim: Python module for ${Python3_EXECUTABLE} (${Python3_VERSION}, "
                 "NumPy ${Python3_NumPy_VERSION}, pybind11 ${pybind11_VERSION})")
elseif(CLIPSIM_PYTHON STREQUAL "ON")
  message(FATAL_ERROR "CLIPSIM_PYTHON=ON but pybind11 (pybind11-dev), the Python headers "
                      "(python3-dev) or NumPy (python3-numpy) were not found for "
                      "${Python3_EXECUTABLE}: bash scripts/install_deps.sh")
else()
  message(STATUS "clipsim: pybind11, python3-dev or NumPy not found, python/ is not built")
endif()
