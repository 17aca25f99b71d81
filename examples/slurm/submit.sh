#!/bin/bash
# Submits an array job and its merge as a dependent job; prints the two job ids.
#   examples/slurm/submit.sh sweep N OUT [sbatch options...]
#   examples/slurm/submit.sh evaluate N OUT [sbatch options...]
# MAPLEX, DEVICE, SWEEP and EVALUATE are passed on to the jobs (see the .sbatch files).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kind=${1:?expected sweep or evaluate}
n=${2:?expected the number of shards}
out=${3:?expected the output directory (one every node sees)}
shift 3
case "$kind" in
  sweep | evaluate) ;;
  *)
    echo "submit.sh: kind '$kind' is unknown, expected sweep or evaluate" >&2
    exit 2
    ;;
esac
mkdir -p "$out"
export OUT=$out KIND=$kind
array=$(sbatch --parsable --export=ALL --array=0-$((n - 1)) "$@" "$here/$kind.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$@" "$here/merge.sbatch")
echo "$array ${merge%%;*}"
