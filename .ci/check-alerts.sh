#!/usr/bin/env bash
# Checks the Prometheus alert rules and runs their unit tests:
#
#   .ci/check-alerts.sh
#
# promtool comes from Debian's prometheus package, installed with apt-get when missing. Also checks
# that every alert's runbook_url names a section of docs/guides/operator-runbook.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RULES="deploy/prometheus/baton-alerts.yml"
TESTS="deploy/prometheus/baton-alerts.test.yml"
RUNBOOK="docs/guides/operator-runbook.md"

log() { echo "check-alerts: $*" >&2; }

if ! command -v promtool >/dev/null 2>&1; then
  log "promtool not found; installing prometheus with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [[ "$(id -u)" == "0" ]] || SUDO="sudo"
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q --no-install-recommends prometheus >&2
  command -v promtool >/dev/null 2>&1 || { log "prometheus installed but promtool not on PATH"; exit 1; }
fi

promtool check rules "$RULES"
promtool test rules "$TESTS"

# A runbook link must lead somewhere: "#alert-<name lower-cased>" is the anchor of the heading
# "### Alert: <Name>".
missing=0
while read -r anchor; do
  name="${anchor#alert-}"
  if ! grep -qiE "^#+ Alert: ${name}\$" "$RUNBOOK"; then
    log "$RULES links to $RUNBOOK#$anchor, but $RUNBOOK has no heading 'Alert: $name'"
    missing=1
  fi
done < <(grep -oE 'runbook_url: *"[^"]*"' "$RULES" | sed -E 's/.*#([^"]*)".*/\1/')
[[ "$missing" == "0" ]] || exit 1
log "alert rules, their unit tests and runbook links are fine"
