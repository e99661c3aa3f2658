# Sourced by the benches that time Haven's agent: the agents a bench started, stopped at its exit.
# A bench appends each agent's PID to `agents`.
agents=()
stop_agents() {
  local p
  for p in "${agents[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${agents[@]}"; do
    while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
  done
  agents=()
}
trap stop_agents EXIT
