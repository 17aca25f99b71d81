#!/usr/bin/env bash
# Checks formatting (clang-format) and function sizes (scripts/function_sizes.py, every source) and,
# unless --format-only, runs clang-tidy over the sources.
#   scripts/lint.sh                 clang-format + clang-tidy over every source (about 12-20 min on 2 cores)
#   scripts/lint.sh --format-only   clang-format only
#   scripts/lint.sh --since REV     clang-format + clang-tidy over the sources changed since commit REV
#                                   and those that include a header changed since REV (what .ci/run
#                                   does, from .ci/tidy-base: the last commit a full run found clean)
# Installs clang-format / clang-tidy from Debian's packages if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=${1:-}
need=()
command -v clang-format >/dev/null || need+=(clang-format)
[[ "$mode" == "--format-only" ]] || command -v clang-tidy >/dev/null || need+=(clang-tidy)
if ((${#need[@]} > 0)); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.cpp.in')
clang-format --dry-run -Werror "${files[@]}"
echo "format: ${#files[@]} files clean"
# No function over 80 lines in any tracked source, tests and benchmarks included (clang-tidy's
# readability-function-size sees only what it is given: the changed sources in CI).
python3 scripts/function_sizes.py 80
if [[ "$mode" != "--format-only" ]]; then
  [[ -f build/compile_commands.json ]] || scripts/setup.sh
  # Tests and benchmarks are left out: their macros (TEST, the benchmark loop) trip the checks.
  # examples/embed/ is built against the installed package, outside build/compile_commands.json.
  # devices/src/torch_runtime.cpp too: clang 14 cannot parse LibTorch 1.13's headers (an
  # incomplete c10::IValue in a std::vector); g++ builds it with every warning on.
  # fuzz/ is built by clang with -DMAPLEX_FUZZ=ON (scripts/fuzz.sh), outside build/ too.
  mapfile -t sources < <(git ls-files '*.cpp' | grep -v -e '^tests/' -e '^bench/' \
    -e '^devices/src/torch_runtime.cpp$' -e '^examples/embed/' -e '^fuzz/')
  if [[ "$mode" == "--since" ]]; then
    base=${2:?"--since needs a commit"}
    git rev-parse --verify -q "$base^{commit}" >/dev/null ||
      { echo "lint.sh: --since $base: not a commit of this repository" >&2; exit 2; }
    mapfile -t changed < <(git diff --name-only "$base" HEAD -- '*.cpp' '*.hpp')
    # A changed header: every source that includes it (by its include path, or its file name for a
    # module's private header in src/).
    keep=()
    for f in "${sources[@]}"; do
      for c in "${changed[@]}"; do
        key=${c##*/include/}
        [[ "$c" == */include/* ]] || key=${c##*/}
        if [[ "$f" == "$c" ]] || { [[ "$c" == *.hpp ]] && grep -q -F "$key\"" "$f"; }; then
          keep+=("$f")
          break
        fi
      done
    done
    echo "tidy: ${#keep[@]} of ${#sources[@]} sources changed since ${base:0:12} (or include a changed header)"
    sources=("${keep[@]}")
  fi
  # One clang-tidy per file, as many at once as there are cores; any finding fails the run.
  printf '%s\n' "${sources[@]}" |
    xargs -r -P "$(nproc)" -n 1 clang-tidy -p build --quiet --warnings-as-errors='*' 2>/dev/null
  echo "tidy: ${#sources[@]} files clean"
fi
