#!/usr/bin/env bash
# Installs the Debian packages clipsim needs, only those missing (so a second run costs nothing).
# Run as root on Debian 12. Set CLIPSIM_NO_TORCH=1 to skip LibTorch (replay/ then is not built).
set -euo pipefail

packages=(g++ cmake make pkg-config ccache git
          libeigen3-dev libboost-math-dev libboost-random-dev libsleef-dev
          libyaml-cpp-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libxxhash-dev
          libgtest-dev libgmock-dev libbenchmark-dev gnuplot-nox
          slurm-wlm munge clang libclang-rt-14-dev lld
          pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest python3-scipy
          python3-matplotlib python3-tqdm python3-venv)
# slurm-wlm, munge: the single-node Slurm of tests/cluster. clang, libclang-rt-14-dev: the
# sanitizer build and libFuzzer (scripts/build_sanitized.sh, scripts/fuzz.sh). pybind11-dev,
# python3-*: the Python module of python/ and its tests (for Debian's /usr/bin/python3; scipy only
# for the tests' comparison with levy_stable, which are skipped without it, and the benchmark;
# matplotlib for python/examples; tqdm for clipsim.sweep's progress bar; venv for the install
# test into a virtual environment).
if [[ "${CLIPSIM_NO_TORCH:-0}" != 1 ]]; then
  packages+=(libtorch-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install_deps: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "install_deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
