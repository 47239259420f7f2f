#!/usr/bin/env bash
# Differential check of the default.* guardrails against Portkey 1.15.2. Optional; not part of the build or CI.
#
#   tools/portkey-diff/run.sh PORT [--start PATH/TO/portkey/start.sh] [--verbose]
#
# PORT   the port of a Portkey 1.15.2 listening on 127.0.0.1 (started by you, e.g. with its start.sh).
# --start  run that start.sh with PORT first and stop the Portkey it started when done (the only thing this
#          script ever starts besides the program's own stub upstream on 127.0.0.1).
# Other flags go to PortkeyDiff.java; MAVEN_ARGS is passed to Maven (e.g. "-o -Dmaven.repo.local=...").
# Builds the modules (package, tests skipped), then runs PortkeyDiff.java on their classpath.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,10p' "$0"; exit 2; }
port="$1"; shift
start=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --start) start="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
if [ -n "$start" ]; then
  pid="$("$start" "$port")"
fi
# shellcheck disable=SC2086
mvn -q ${MAVEN_ARGS:-} -f "$root/pom.xml" -pl examples -am package dependency:build-classpath \
  -DskipTests -Dmaven.javadoc.skip=true -Dmdep.outputFile=target/portkey-diff-classpath.txt -Dmdep.includeScope=runtime >"$work/mvn.log" 2>&1 \
  || { cat "$work/mvn.log"; exit 1; }
cp="$root/examples/target/classes:$(cat "$root/examples/target/portkey-diff-classpath.txt")"
java -cp "$cp" "$here/PortkeyDiff.java" "$port" "${args[@]}"
