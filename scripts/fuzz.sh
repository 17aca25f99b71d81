#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, AddressSanitizer + UBSan) in build-fuzz/ and runs each for
# SECONDS (default 60) from a copy of its seed corpus in fuzz/corpus/<target>/; prints per target
# the executions and whether it crashed (seeded: $FUZZ_SEED, default 1, so a run is repeatable).
# Exits non-zero on any crash or sanitizer report.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then
  TARGETS=(fuzz_arch fuzz_measurements fuzz_run_records fuzz_parts fuzz_store)
fi

missing=()
for p in clang-14 libclang-rt-14-dev libomp-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
scripts/setup.sh >/dev/null 2>&1 || true  # the project's own dependencies

BUILD=build-fuzz
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DMAPLEX_FUZZ=ON -DMAPLEX_BUILD_TESTS=OFF \
  -DMAPLEX_BUILD_BENCH=OFF -DMAPLEX_BUILD_EXAMPLES=OFF -DMAPLEX_BUILD_PYTHON=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]}" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "$work/$t"
  cp fuzz/corpus/"$t"/* "$work/$t/"
  log="$work/$t.log"
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$BUILD/fuzz/$t" -seed="${FUZZ_SEED:-1}" -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=4096 \
    -artifact_prefix="$work/$t-" "$work/$t" >"$log" 2>&1; then
    result="crashes 0"
  else
    result="CRASHED (see below)"
    status=1
  fi
  runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
  printf '%-20s %12s executions in %ss, %s\n' "$t" "$runs" "$SECONDS_EACH" "$result"
  if ((status != 0)) && [[ $result == CRASHED* ]]; then
    tail -40 "$log"
    for a in "$work/$t"-*; do
      [[ -e $a ]] && { mkdir -p fuzz/crashes && cp "$a" fuzz/crashes/ && echo "kept $a in fuzz/crashes/"; }
    done
  fi
done
exit $status
