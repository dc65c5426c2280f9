#!/usr/bin/env bash
# Runs every test: unit tests, ONNX conformance suites and GPT-2 models (from ../shared when present),
# then fuzzes every reader of untrusted bytes for 20 s each.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
source "$root/scripts/java-env.sh"
cd "$root"
mvn -B -ntp verify "$@"
# The whole suite (no arguments) ends with a short, bounded fuzz run of every Jazzer target
# (docs/reliability.md); scripts/fuzz.sh ROUNDS goes longer.
if [ "$#" -eq 0 ]; then
  "$root/scripts/fuzz.sh" 1
fi
