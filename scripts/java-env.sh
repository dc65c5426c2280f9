# Sourced by oclc's scripts: finds a JDK 25 or newer and exports JAVA_HOME, or explains what to do.
oclc_java_version() { # major version of the java binary in $1
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

oclc_find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* ; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(oclc_java_version "$candidate/bin/java")
    if [ -n "$version" ] && [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! OCLC_JDK=$(oclc_find_jdk); then
  echo "oclc needs a JDK 25 or newer, and none was found (looked at JAVA_HOME and /usr/lib/jvm)." >&2
  echo "Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 3
fi
export JAVA_HOME="$OCLC_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# The JVM's signal chaining (libjsig), preloaded into every JVM that drives POCL (the launcher's, the
# bench's, the tests' through the pom): without it POCL's compiler fails builds and now and then kills
# the JVM with SIGSEGV (runtime-host's SignalChaining says how).
OCLC_SIGNAL_CHAINING="$JAVA_HOME/lib/libjsig.so"
if [ ! -f "$OCLC_SIGNAL_CHAINING" ]; then
  echo "warning: $OCLC_SIGNAL_CHAINING is missing; kernel builds on POCL may fail or crash the JVM" >&2
  OCLC_SIGNAL_CHAINING=""
fi
# Exports LD_PRELOAD with the signal chaining added, for the java command that follows.
oclc_chain_signals() {
  if [ -n "$OCLC_SIGNAL_CHAINING" ]; then
    case ":${LD_PRELOAD:-}:" in
      *":$OCLC_SIGNAL_CHAINING:"*) ;;
      *) export LD_PRELOAD="$OCLC_SIGNAL_CHAINING${LD_PRELOAD:+:$LD_PRELOAD}" ;;
    esac
  fi
}
# Maven's own libraries call sun.misc.Unsafe; keep its warnings out of the way.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
OCLC_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-modules jdk.incubator.vector)
# The JVM of `run`, `generate` or `profile` of an OpenCL artifact: without the Vector API module (the
# Java backend's), which starts faster and lets the JDK's AOT cache keep the module graph. `oclc
# compile` trains that cache into the artifact with these flags (compiler/JvmStartCache). C1 only: the
# host code of an OpenCL run is light (the kernels are native), and on two cores C2's compile thread
# took a core from the start (a warm start to the first token 0.48-0.50 -> 0.35-0.39 s, alternating;
# decode no slower). The Java backend's kernels need C2, so only these runs get it.
OCLC_OPENCL_RUN_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss16m
  -XX:TieredStopAtLevel=1)
export OCLC_RUN_JVM_FLAGS="${OCLC_OPENCL_RUN_JVM_FLAGS[*]}"

# Prints the OpenCL artifact that the oclc arguments "$@" run, generate or profile, if that is what
# they do: an artifact folder whose manifest names the opencl backend, and no java device asked for.
oclc_opencl_artifact() {
  case "${1:-}" in run | generate | profile) ;; *) return 1 ;; esac
  local argument artifact=""
  for argument in "${@:2}"; do
    case "$argument" in java | --device=java) return 1 ;; esac
    if [ -z "$artifact" ] && [ -f "$argument/manifest.json" ]; then artifact="$argument"; fi
  done
  [ -n "$artifact" ] && head -c 2000 "$artifact/manifest.json" | grep -q '"backend" : "opencl"' || return 1
  echo "$artifact"
}

# The JVM flags for the oclc arguments "$@" (into OCLC_LAUNCH_FLAGS): an OpenCL run gets the flags
# above and its artifact's start cache where compile made one; every other command the Vector API.
oclc_launch_flags() {
  local artifact
  OCLC_LAUNCH_FLAGS=("${OCLC_JVM_FLAGS[@]}" -Xss16m)
  if artifact=$(oclc_opencl_artifact "$@"); then
    OCLC_LAUNCH_FLAGS=("${OCLC_OPENCL_RUN_JVM_FLAGS[@]}")
    if [ -f "$artifact/jvm/start.aot" ]; then
      OCLC_LAUNCH_FLAGS+=(-Xlog:aot=off -Xlog:cds=off "-XX:AOTCache=$artifact/jvm/start.aot")
    fi
  fi
}
