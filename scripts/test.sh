#!/usr/bin/env bash
# Runs every test: unit tests, ONNX conformance suites and GPT-2 models (from ../shared when present).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
source "$root/scripts/java-env.sh"
cd "$root"
mvn -B -ntp verify "$@"
