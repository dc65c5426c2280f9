#!/usr/bin/env bash
# Installs what oclc needs from Debian's packages when it is missing: Maven, and an OpenCL CPU
# device (POCL with the ICD loader; JOCL loads libOpenCL.so, which the -dev package provides).
# (The JDK 25 cannot come from Debian's stable packages: scripts/java-env.sh says what to do.)
set -euo pipefail
missing=()
command -v mvn >/dev/null 2>&1 || missing+=(maven)
has_opencl_device() {
  command -v clinfo >/dev/null 2>&1 || return 1
  compgen -G '/usr/lib/*/libOpenCL.so' >/dev/null || compgen -G '/usr/lib/libOpenCL.so' >/dev/null ||
    return 1 # JOCL loads the unversioned name
  clinfo -l 2>/dev/null | grep -q 'Device'
}
has_opencl_device || missing+=(pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev clinfo)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
