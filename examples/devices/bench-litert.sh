#!/bin/sh
# UNTESTED HERE: an example for a phone reached with adb. Usage: bench-litert.sh NET.onnx INDEX
# Expects NET.tflite next to NET.onnx (convert once, e.g. with onnx2tf) and LiteRT's
# benchmark_model in /data/local/tmp on the phone. benchmark_model reports microseconds; the
# line printed last converts its average to milliseconds for the device file's regex.
set -eu
tflite="${1%.onnx}.tflite"
[ -f "$tflite" ] || { echo "no $tflite: convert $1 to TFLite first" >&2; exit 2; }
adb push "$tflite" /data/local/tmp/nb201.tflite > /dev/null
us=$(adb shell /data/local/tmp/benchmark_model --graph=/data/local/tmp/nb201.tflite \
  --num_threads=4 --warmup_runs=5 --num_runs=50 2>&1 | sed -n 's/.*Inference (avg): \([0-9.e+]*\).*/\1/p' | tail -1)
[ -n "$us" ] || { echo "benchmark_model printed no average" >&2; exit 3; }
echo "Inference (avg): $(awk "BEGIN {print $us / 1000}")"
