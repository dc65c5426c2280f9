#!/usr/bin/env bash
# The long soak of SoakTest: SESSIONS sessions (default 2000) on one compiled GPT-2 and EXECUTABLES
# compiled models (default 200) loaded, run and closed, on both backends; prints resident memory and
# threads (medians of three samples, early and late) and fails where either grew.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/java-env.sh"
cd "$root"
mvn -B -ntp verify -pl tests -am -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Doclc.soak.sessions="${1:-2000}" -Doclc.soak.executables="${2:-200}" \
  | grep -E '^soak |Tests run:|FAIL|BUILD'
