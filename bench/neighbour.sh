# Sourced by the op-balance scripts (bench/op_balance.sh, bench/balance_sessions.sh,
# bench/reference_arms.sh): start_neighbour starts a neighbour streaming memory on the other core,
# copying a 256 MB buffer back and forth until stop_neighbour kills it (its output must not hold
# the script's pipes open), and waits 2 s for it to run.
start_neighbour() {
  python3 -c 'a = bytearray(1 << 28); b = bytearray(1 << 28)
while True: a[:] = b; b[:] = a' > /dev/null 2>&1 &
  neighbour=$!
  sleep 2
}
stop_neighbour() {
  kill "$neighbour"
}
