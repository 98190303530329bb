#!/bin/sh
# The README's install command into a fresh virtual environment, offline (--without-pip: nothing is
# downloaded), then an import from outside the source and build folders with nothing of them on
# the path: the installed package must work on its own (CTest python.install_venv).
# Usage: install_venv.sh PYTHON CMAKE BUILD_DIR VENV_DIR
set -eu
python=$1 cmake=$2 build=$3 venv=$4
rm -rf "$venv"
"$python" -m venv --system-site-packages --without-pip "$venv"
"$cmake" --install "$build" --component python --prefix "$venv"
cd /
PYTHONPATH= "$venv/bin/python" - <<'PY'
import sys
import clipsim
assert clipsim.__file__.startswith(sys.prefix), clipsim.__file__
assert clipsim.noise.sample("kind=gaussian", 3).shape == (3,)
assert clipsim.theory.methods()
print("installed:", clipsim.__file__)
PY
