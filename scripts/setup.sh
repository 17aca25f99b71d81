#!/usr/bin/env bash
# Installs what maplex needs from Debian's packages (only what is missing), then configures and
# builds a Release build in build/. Safe to run again: a no-op install and an incremental build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(
  ca-certificates git cmake make g++ pkg-config
  libeigen3-dev libboost-graph-dev libtbb-dev libcxxopts-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev libsqlite3-dev
  libdnnl-dev ocl-icd-opencl-dev
  libonnx-dev libprotobuf-dev libopencv-dnn-dev libtorch-dev libopenblas0-pthread
  python3 python3-dev pybind11-dev python3-numpy python3-pytest
  chromium python3-nbclient python3-nbformat python3-ipykernel python3-matplotlib
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

BUILD_DIR=${MAPLEX_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" >&2
echo "setup: built $BUILD_DIR/maplex" >&2
