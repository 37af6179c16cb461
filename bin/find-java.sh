# Sourced by bin/ scripts: sets JAVA_HOME to a JDK 25 or stops with a clear message.
# Order: $JAVA_HOME if it is a JDK 25 or newer, then the Temurin 25 path of our machines.
moon_java_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
moon_find_java() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(moon_java_version "$candidate")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; export PATH="$JAVA_HOME/bin:$PATH"; return 0
    fi
  done
  echo "moon: no JDK 25 found. Set JAVA_HOME to a JDK 25 (checked: ${JAVA_HOME:-<unset>}, /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  exit 1
}
moon_find_java
# Maven 3.8 on JDK 25 warns about its own use of sun.misc.Unsafe; that noise hides real output.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
