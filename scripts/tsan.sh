#!/usr/bin/env bash
# The test suite under ThreadSanitizer (g++, build-tsan/): TBB runs the evaluator, the predictor's
# evaluation and the searches' batches in parallel. Extra arguments go to ctest (e.g. -R test_search).
# Exits non-zero on any report (halt_on_error) or failing test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh >/dev/null 2>&1 || true  # the project's dependencies
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAPLEX_TSAN=ON \
  -DMAPLEX_BUILD_BENCH=OFF -DMAPLEX_BUILD_PYTHON=OFF -DMAPLEX_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-tsan -j"$(nproc)" >/dev/null
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp" \
  ctest --test-dir build-tsan --output-on-failure -j"$(nproc)" -E "test_slurm|test_python" "$@"
