#!/usr/bin/env bash
# Fuzzes every target of the fuzz module with Jazzer: ROUNDS rounds (default 1) of 20 s per target,
# the corpus kept in fuzz/.cifuzz-corpus between rounds, so that longer runs go deeper. A finding
# fails the run; Jazzer saves its input under fuzz/src/test/resources/oclc/fuzz/<Target>Inputs/,
# where every `mvn verify` replays it: fix the cause and commit the input as a regression test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/java-env.sh"
cd "$root"
rounds="${1:-1}"
log="$(mktemp -t oclc-fuzz.XXXXXX)"
targets=(OnnxModelFuzzTest ManifestFuzzTest TokenizerFuzzTest CacheEntryFuzzTest JavaKernelSpecFuzzTest
  DimFuzzTest)
for ((round = 1; round <= rounds; round++)); do
  for target in "${targets[@]}"; do
    echo "fuzz: round $round of $rounds, $target (20 s)"
    # Jazzer fuzzes one target per JVM; JUnit's own timeouts would count the whole run as one input.
    status=0
    JAZZER_FUZZ=1 mvn -B -ntp verify -pl fuzz -am -Dtest="$target" \
      -Dsurefire.failIfNoSpecifiedTests=false -Doclc.fuzz.junit.timeouts=disabled \
      -Dspotless.check.skip=true >"$log" 2>&1 || status=$?
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" || true
    if [ "$status" -ne 0 ]; then
      grep -E 'FuzzTestFinding|Caused by|Exception|ERROR\]' "$log" | head -20 >&2 || true
      echo "fuzz: $target failed (a finding is saved under fuzz/src/test/resources; log: $log)" >&2
      exit 1
    fi
  done
done
echo "fuzz: ${#targets[@]} targets, $rounds round(s) of 20 s each, no finding"
