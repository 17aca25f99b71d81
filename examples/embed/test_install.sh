#!/usr/bin/env bash
# Installs the build tree into a fresh prefix, builds examples/embed against the installed package
# from a separate directory, and runs it (with no MAPLEX_DATA: the data comes from the package).
# Usage: test_install.sh <build-dir>
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in lib/cmake/maplex/maplexConfig.cmake include/maplex/predictor/predictor.hpp \
         share/maplex/data/nb201_archs.csv share/maplex/LICENSE bin/maplex; do
  [[ -e "$work/prefix/$f" ]] || { echo "test_install: $f not installed" >&2; exit 1; }
done
cmake -S "$here" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix" \
  >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
env -u MAPLEX_DATA "$work/build/embed" pixel3 20
# The Python package, when it was built, imports from where it was installed.
python_dir="$work/prefix/lib/python3/dist-packages"
if [[ -d "$python_dir/maplex" ]]; then
  PYTHONPATH="$python_dir" /usr/bin/python3 -c \
    "import maplex, os; assert maplex.__file__.startswith('$python_dir'); print('installed python module:', maplex.space_size())"
fi
