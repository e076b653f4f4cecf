#!/usr/bin/env bash
# Makes a private, throwaway PostgreSQL available for tests and prints its JDBC URL.
#
#   .ci/start-postgres.sh            # prints the URL on stdout
#   .ci/start-postgres.sh url.txt    # writes the URL to url.txt
#   export BATON_TEST_POSTGRES_URL="$(.ci/start-postgres.sh)"
#
# The server listens on 127.0.0.1 only, trusts every local connection and keeps its data under
# $BATON_PG_HOME (default: $TMPDIR/baton-postgres). Running the script again reuses a running
# server; stop it with:  pg_ctl -D "$BATON_PG_HOME/data" stop  (as the postgres user when root).
# Progress goes to stderr so that stdout carries nothing but the URL.
set -euo pipefail

PG_HOME="${BATON_PG_HOME:-${TMPDIR:-/tmp}/baton-postgres}"
DATA_DIR="$PG_HOME/data"
PORT_FILE="$PG_HOME/port"
LOG_FILE="$PG_HOME/postgres.log"
DATABASE="baton_test"
OUTPUT_FILE="${1:-}"

log() { echo "start-postgres: $*" >&2; }

# Finds the directory holding initdb and pg_ctl, newest installed version first.
find_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

BIN_DIR="$(find_bin_dir || true)"
if [[ -z "$BIN_DIR" ]]; then
  log "initdb/pg_ctl not found; installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql >&2
  BIN_DIR="$(find_bin_dir || true)"
  [[ -n "$BIN_DIR" ]] || { log "postgresql installed but initdb/pg_ctl still not found"; exit 1; }
fi

# initdb refuses to run as root: run the server as the postgres OS user then.
if [[ "$(id -u)" == "0" ]]; then
  if ! id postgres >/dev/null 2>&1; then
    log "creating OS user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  as_owner() { runuser -u postgres -- "$@"; }
  OWNER="postgres"
else
  as_owner() { "$@"; }
  OWNER="$(id -un)"
fi

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for port in $(seq 54320 54420); do
    # A refused connection means nobody listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  log "no free port between 54320 and 54420"
  exit 1
}

mkdir -p "$PG_HOME"
chown "$OWNER" "$PG_HOME"
chmod 700 "$PG_HOME"

if [[ ! -f "$DATA_DIR/PG_VERSION" ]]; then
  log "initialising a cluster in $DATA_DIR with $BIN_DIR"
  rm -rf "$DATA_DIR"
  as_owner "$BIN_DIR/initdb" -D "$DATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C \
    --no-sync >/dev/null
  # Throwaway data: durability settings off make the test suite fast.
  cat >>"$DATA_DIR/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_HOME'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
fi

if as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1 && [[ -f "$PORT_FILE" ]]; then
  PORT="$(cat "$PORT_FILE")"
  log "reusing the server running on 127.0.0.1:$PORT"
else
  PORT="$(free_port)"
  log "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOG_FILE)"
  as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 -o "-p $PORT" start >&2
  echo "$PORT" >"$PORT_FILE"
fi

PG_ISREADY="$BIN_DIR/pg_isready"
command -v "$PG_ISREADY" >/dev/null 2>&1 || PG_ISREADY="pg_isready"
for _ in $(seq 1 60); do
  if "$PG_ISREADY" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
    break
  fi
  sleep 0.5
done
"$PG_ISREADY" -h 127.0.0.1 -p "$PORT" -U postgres >&2

PSQL="$BIN_DIR/psql"
command -v "$PSQL" >/dev/null 2>&1 || PSQL="psql"
exists="$("$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")"
if [[ "$exists" != "1" ]]; then
  "$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE $DATABASE" >&2
fi

URL="jdbc:postgresql://127.0.0.1:$PORT/$DATABASE?user=postgres"
if [[ -n "$OUTPUT_FILE" ]]; then
  echo "$URL" >"$OUTPUT_FILE"
  log "wrote $URL to $OUTPUT_FILE"
else
  echo "$URL"
fi
