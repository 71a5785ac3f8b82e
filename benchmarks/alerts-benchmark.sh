#!/usr/bin/env bash
# Alert recall, precision and volume on a generated population (issue 8, measured part).
#  1. generates CHILDREN children with SEED to WORK/population (the truth: networks, record -> child);
#  2. starts the demo on the same CHILDREN and SEED (the same population, loaded by the demo loader and relinked; every
#     load writes alert_outbox rows through the triggers, and the demo's worker evaluates them) on PORT, under
#     /usr/bin/time -v (peak RSS of the demo's JVM; PostgreSQL runs in processes of its own);
#  3. AlertAccuracyBenchmark.java waits until every record is linked and the outbox is empty and prints the time from
#     the demo's start, recall (truly exploited children with at least one recorded episode or concern that received
#     at least one alert), precision (alerted children truly exploited or repeatedly missing), alerts per rule and
#     alerts per authority per week, all computed from the truth files and the alert tables, not by the alert code;
#  4. stops the demo it started.
# The import slowdown (evaluation on vs off) is benchmarks/alerts-import-benchmark.sh.
# Usage: [HEAP=4g] benchmarks/alerts-benchmark.sh CHILDREN SEED [WORK_DIR] [PORT]
#        (build first: mvn -B -q -DskipTests package -pl app -am)
set -euo pipefail
cd "$(dirname "$0")/.."
CHILDREN=${1:?children}
SEED=${2:?seed}
WORK=${3:-/tmp/sightline-alerts-$CHILDREN-$SEED}
PORT=${4:-18089}
HEAP=${HEAP:-4g}
JAR=app/target/sightline.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -q -DskipTests package -pl app -am" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); -Xmx$HEAP; $(nproc) cores"
java -jar "$JAR" generate --children "$CHILDREN" --seed "$SEED" --out "$WORK/population" > "$WORK/generate.out" 2>&1
java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
start_ms=$(date +%s%3N)
/usr/bin/time -v -o "$WORK/demo-time.txt" java -Xmx"$HEAP" -jar "$JAR" demo --data-dir "$WORK/data" \
    --children "$CHILDREN" --seed "$SEED" --port "$PORT" > "$WORK/demo.out" 2> "$WORK/demo.err" &
DEMO=$!
stop() {
  # The JVM under /usr/bin/time: stop it, so that time writes its report.
  pkill -TERM -P "$DEMO" 2>/dev/null || true
  wait "$DEMO" 2>/dev/null || true
}
trap stop EXIT
# The demo prints its address once the population is loaded; the relink and the evaluation go on in the background.
until grep -q "http://" "$WORK/demo.out" 2>/dev/null; do
  kill -0 $DEMO 2>/dev/null || { echo "demo stopped:" >&2; tail -20 "$WORK/demo.err" >&2; exit 1; }
  sleep 5
done
grep "ready in\|Population" "$WORK/demo.out"
java -cp "$WORK/app/sightline.jar:$WORK/app/lib/*" benchmarks/app-drivers/AlertAccuracyBenchmark.java \
    "$WORK/population" "$WORK/data" "$start_ms" 2> "$WORK/driver.err" | tee "$WORK/result.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop
trap - EXIT
grep -E "Elapsed|Maximum resident" "$WORK/demo-time.txt" | sed 's/^\s*/demo JVM: /'
