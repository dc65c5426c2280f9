#!/usr/bin/env bash
# The main job on the bundled example model: build oclc, show the model's symbolic graph, and run
# every test data set of the example through the reference executor.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
example="$root/examples/gpt2-tiny-past"
"$root/oclc" devices
echo
"$root/oclc" inspect "$example/model.onnx"
echo
"$root/oclc" conformance "$example" --device reference
