#!/usr/bin/env bash
# The side-by-side harness (README "Performance"): direct JDK client vs Switchboard execute / executeAsync /
# streams (and Portkey when the path of its start script is passed) against one Netty stub upstream,
# interleaved rounds at concurrency 1, 8 and 32; prints a markdown table.
#
#   bash benchmarks/side-by-side.sh                                   # 5 rounds of 3 s per mode
#   bash benchmarks/side-by-side.sh --rounds 3 --seconds 1 --warmup 1 # short
#   bash benchmarks/side-by-side.sh --portkey path/to/portkey/start.sh
#
# Options: --rounds N, --seconds S (per mode per round), --warmup S, --concurrency 1,8,32, --events N,
# --modes stream,execute (only these, with their baselines)
# (chunks per stream), --portkey PATH. Extra Maven flags (e.g. -o, -Dmaven.repo.local=...) go in MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "${REBUILD:-}" ]; then
  # shellcheck disable=SC2086
  mvn -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
fi
exec java ${JAVA_OPTS:-} -cp "$jar" dev.switchboard.benchmarks.SideBySide "$@"
