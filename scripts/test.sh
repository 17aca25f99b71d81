#!/usr/bin/env bash
# Builds (installing dependencies if needed) and runs the whole test suite with ctest.
# Exits non-zero when any test fails. Extra arguments go to ctest (e.g. -R test_space).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
ctest --test-dir "${MAPLEX_BUILD_DIR:-build}" --output-on-failure -j"$(nproc)" "$@"
