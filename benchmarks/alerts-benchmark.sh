#!/usr/bin/env bash
# Alert recall, precision and volume on a generated population (issue 8, measured part). Not run by the helper that
# wrote it (shared machine): the lead runs it on a quiet machine and records the figures in docs/benchmarks.md.
#  1. generates CHILDREN children with SEED to WORK/population (the truth: networks, record -> child);
#  2. starts the demo on the same CHILDREN and SEED (the same population, loaded by the demo loader and relinked; every
#     load writes alert_outbox rows through the triggers, and the demo's worker evaluates them) on PORT;
#  3. AlertAccuracyBenchmark.java waits until the outbox is empty and prints the drain time, recall (truly exploited
#     children with at least one recorded episode or concern that received at least one alert), precision (alerted
#     children truly exploited or repeatedly missing), alerts per rule and alerts per authority per week;
#  4. stops the demo it started.
# Import slowdown (evaluation on vs off): IMPORT=1 also times `sightline.jar import` of one agency's missing episodes
# with -Dsightline.alerts.enabled=false and =true (the triggers write the outbox either way; "on" also evaluates in
# the import process) and how long the outbox then takes to drain.
# Usage: benchmarks/alerts-benchmark.sh CHILDREN SEED [WORK_DIR] [PORT]   (build first: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
CHILDREN=${1:?children}
SEED=${2:?seed}
WORK=${3:-/tmp/sightline-alerts-$CHILDREN-$SEED}
PORT=${4:-18089}
JAR=app/target/sightline.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar "$JAR" generate --children "$CHILDREN" --seed "$SEED" --out "$WORK/population" > "$WORK/generate.out" 2>&1
java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
java -jar "$JAR" demo --data-dir "$WORK/data" --children "$CHILDREN" --seed "$SEED" --port "$PORT" \
    > "$WORK/demo.out" 2> "$WORK/demo.err" &
DEMO=$!
trap 'kill $DEMO 2>/dev/null || true' EXIT
# The demo prints its address once the population is loaded and relinked.
until grep -q "http://" "$WORK/demo.out" 2>/dev/null; do
  kill -0 $DEMO 2>/dev/null || { echo "demo stopped:" >&2; tail -20 "$WORK/demo.err" >&2; exit 1; }
  sleep 5
done
java -cp "$WORK/app/sightline.jar:$WORK/app/lib/*" benchmarks/app-drivers/AlertAccuracyBenchmark.java \
    "$WORK/population" "$WORK/data" | tee "$WORK/result.txt"
if [ "${IMPORT:-0}" = 1 ]; then
  BENCH=benchmarks/target/benchmarks.jar
  for mode in false true; do
    code=E23000001
    [ "$mode" = true ] && code=E23000002
    java -cp "$BENCH" org.sightline.benchmarks.importexport.SingleAgencyFiles "$CHILDREN" "$code" "$WORK/files-$mode"
    java -Dsightline.alerts.enabled=$mode -jar "$JAR" import --demo --data-dir "$WORK/data" --agency "$code" \
        --kind person-records "$WORK/files-$mode/person_records.csv" > /dev/null 2>&1 || true
    start=$(date +%s.%N)
    java -Dsightline.alerts.enabled=$mode -jar "$JAR" import --demo --data-dir "$WORK/data" --agency "$code" \
        --kind missing-episodes "$WORK/files-$mode/missing_episodes.csv" > "$WORK/import-$mode.out" 2>&1 || true
    end=$(date +%s.%N)
    printf 'import missing episodes, evaluation %-5s: %.1f s\n' "$mode" "$(echo "$end - $start" | bc -l)"
    java -cp "$WORK/app/sightline.jar:$WORK/app/lib/*" benchmarks/app-drivers/AlertAccuracyBenchmark.java \
        --drain-only "$WORK/data"
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
