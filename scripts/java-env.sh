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
# Maven's own libraries call sun.misc.Unsafe; keep its warnings out of the way.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
OCLC_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-modules jdk.incubator.vector)
