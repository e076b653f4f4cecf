#!/usr/bin/env bash
# Runs the developer guide's "Run it" commands as written:
#
#   .ci/check-guide.sh
#
# The block's `./baton server` line runs in the background (on free ports, through the variables
# the server and the examples read), then the block's other lines run in the foreground: build
# the examples and run SingleCallExample against that server. Needs the build done (./mvnw verify).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GUIDE="docs/guides/developer-guide.md"
log() { echo "check-guide: $*" >&2; }

block="$(awk '/^### 4\. Run it/ {section = 1} section && /^```sh/ {inside = 1; next}
  inside && /^```/ {exit} inside' "$GUIDE")"
server_line="$(grep -m1 '^\./baton server' <<<"$block" | sed 's/#.*//')" || true
client_lines="$(grep -v '^\./baton server' <<<"$block")" || true
if [[ -z "$server_line" || -z "$(grep -v '^ *\(#.*\)\?$' <<<"$client_lines")" ]]; then
  log "no sh block with a './baton server' line and commands after it under '### 4. Run it' in $GUIDE"
  exit 1
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

BATON_HOME="$(mktemp -d)"
export BATON_HOME
BATON_LISTEN="127.0.0.1:$(free_port)"
export BATON_LISTEN BATON_ADDRESS="$BATON_LISTEN"
BATON_EMBEDDED_TEMPORAL_PORT="$(free_port)"
export BATON_EMBEDDED_TEMPORAL_PORT TEMPORAL_ADDRESS="127.0.0.1:$BATON_EMBEDDED_TEMPORAL_PORT"
BATON_METRICS_PORT="$(free_port)"
export BATON_METRICS_PORT
SERVER_LOG="$BATON_HOME/server.log"

log "running '$server_line' in the background (log: $SERVER_LOG)"
bash -c "exec $server_line" >"$SERVER_LOG" 2>&1 &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$BATON_HOME"
}
trap stop_server EXIT

for _ in $(seq 1 180); do
  grep -q "baton server listening on" "$SERVER_LOG" && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    log "the server exited before serving:"
    cat "$SERVER_LOG" >&2
    exit 1
  fi
  sleep 1
done
grep -q "baton server listening on" "$SERVER_LOG" || { log "the server did not serve within 180 s"; exit 1; }

log "running the guide's commands:"
echo "$client_lines" >&2
bash -euo pipefail -c "$client_lines"
log "the developer guide's 'Run it' commands work"
