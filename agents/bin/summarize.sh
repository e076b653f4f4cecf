#!/bin/sh
# Summarises the message on stdin: its first sentence and its word count.
set -eu
text=$(cat)
words=$(printf '%s' "$text" | wc -w | tr -d ' ')
echo "reading $words words" >&2
sleep 1
first=$(printf '%s' "$text" | tr '\n' ' ' | sed -e 's/^ *//' -e 's/\([.!?]\).*/\1/')
printf '%s\n(%s words)\n' "$first" "$words"
