# Sourced by the benches that time Haven's agent: starting one and waiting until it listens, and
# stopping every agent a bench started at its exit.
agents=()
agent_token=bench-token-0123456789abcdef
# start_agent SOCKET LOG COMMAND...: runs COMMAND (a Haven agent) with the bench's API token and
# SOCKET, its output in LOG, and waits until the socket listens (the agent opens its HTTP API
# first); sets started to its PID.
start_agent() {
  local socket="$1" log="$2" i
  shift 2
  rm -f "$socket"
  HAVEN_API_TOKEN="$agent_token" HAVEN_SOCKET="$socket" "$@" >"$log" 2>&1 &
  started=$!
  agents+=("$started")
  for ((i = 0; i < 300; i++)); do
    [[ -S $socket ]] && return 0
    kill -0 "$started" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: the agent did not start:" >&2
  cat "$log" >&2
  exit 1
}
stop_agents() {
  local p
  for p in "${agents[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${agents[@]}"; do
    while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  done
  agents=()
}
trap stop_agents EXIT
