#!/usr/bin/env bash
# Installs what oclc needs from Debian's packages when it is missing: Maven.
# (The JDK 25 cannot come from Debian's stable packages: scripts/java-env.sh says what to do.)
set -euo pipefail
missing=()
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
