#!/usr/bin/env bash
# Checks the class-data archives the launcher made while running the README's `./baton demo`:
#
#   .ci/check-archives.sh
#
# Both must exist, and the client's must hold the classes of a whole round trip (a response
# message), which an archive made against a closed port lacks (docs/performance.md, stop 17).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAR="baton-cli/target/baton-cli.jar"
CLIENT="baton-cli/target/baton-cli.jsa"
SERVER="baton-cli/target/baton-server.jsa"
ROUND_TRIP_CLASS="dev.baton.api.v1.AgentExecution"

fail() {
  echo "check-archives: $*" >&2
  exit 1
}

[[ -f "$SERVER" ]] || fail "no server archive at $SERVER"
[[ -f "$CLIENT" ]] || fail "no client archive at $CLIENT"
# The archive maps only with the GC it was made with (the launcher's client options).
listing="$(java -XX:SharedArchiveFile="$CLIENT" -XX:+UseSerialGC -XX:+PrintSharedArchiveAndExit \
  -XX:+PrintSharedDictionary -jar "$JAR" 2>&1)" || fail "cannot list the client archive: $listing"
grep -q " $ROUND_TRIP_CLASS " <<<"$listing" ||
  fail "the client archive lacks $ROUND_TRIP_CLASS: it was not made on a round trip"
echo "check-archives: server and client archives present, the client's made on a round trip" >&2
