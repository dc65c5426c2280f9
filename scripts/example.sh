#!/usr/bin/env bash
# The main job on the bundled example model (a GPT-2 decode graph): build oclc, show the model's
# symbolic graph, compile it for the CPU's OpenCL device into one artifact for every batch of 1-4,
# prompt of 1-128 and KV cache of 0-127, run every test data set on that artifact, profile one,
# and generate tokens with the KV cache kept on the device.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
example="$root/examples/gpt2-tiny-past"
artifact="$root/target/example/gpt2-tiny-past.oclc"
mkdir -p "$(dirname "$artifact")"
"$root/oclc" devices
echo
"$root/oclc" inspect "$example/model.onnx"
echo
"$root/oclc" compile "$example/model.onnx" --device cpu --out "$artifact" \
  --dim batch_size=1..4 --dim sequence_length=1..128 --dim past_sequence_length=0..127
echo
for set in "$example"/test_data_set_*; do
  "$root/oclc" run "$artifact" --device cpu --data "$set"
done
echo
"$root/oclc" run "$artifact" --device cpu --data "$example/test_data_set_2" --profile \
  --profile-svg "$root/target/example/profile.svg" | tail -26
echo
"$root/oclc" generate "$artifact" --device cpu --prompt-ids 464,329,318 --max-new-tokens 16 \
  --temperature 0.8 --top-k 40 --seed 1
