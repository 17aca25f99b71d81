# Sourced by the bench scripts that disturb the machine (bench/op_balance.sh,
# bench/balance_sessions.sh, bench/reference_arms.sh, bench/scale_history.sh): start_neighbour
# starts a neighbour streaming memory (copying a 256 MB buffer back and forth; its output must not
# hold the script's pipes open) and waits 2 s for it to run; each call starts one more, and
# stop_neighbour kills every one started. Even two of them slowed oneDNN's reference only 5-15% on
# two cores (2026-12-06): a measurement's median passes mostly run between preemptions.
neighbours=()
start_neighbour() {
  python3 -c 'a = bytearray(1 << 28); b = bytearray(1 << 28)
while True: a[:] = b; b[:] = a' > /dev/null 2>&1 &
  neighbours+=("$!")
  sleep 2
}
stop_neighbour() {
  kill "${neighbours[@]}"
  neighbours=()
}
