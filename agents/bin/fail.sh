#!/bin/sh
# Fails on purpose: a reason on stderr and exit code 3.
cat >/dev/null
echo "failing agent: refusing to work on '${BATON_MESSAGE:-}' (this agent always fails)" >&2
exit 3
