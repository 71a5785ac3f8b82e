#!/usr/bin/env bash
# Import slowdown with alert evaluation on vs off (issue 8, measured part). For each mode, back to back, in a fresh
# data folder: starts the demo with no population (`--children 0`: reference agencies only) and
# -Dsightline.alerts.enabled=MODE, as a server that stays up while files are imported; imports one agency's
# person records and then its missing episodes (files from SingleAgencyFiles CHILDREN) with
# `sightline.jar import --demo` and the same -Dsightline.alerts.enabled=MODE, each under /usr/bin/time -v; then waits
# until the alert outbox is empty. With MODE=false nothing evaluates (the triggers still write the outbox rows, in
# the same transactions as the import's rows); with MODE=true the server's worker and the import process's own
# worker share the evaluation (SKIP LOCKED). "Evaluated" = outbox empty, timed from the start of the import command.
# Generated dates are years old, and by default a cause older than 90 days raises no alert: MAX_AGE_DAYS (default
# 36500) lifts that limit in both JVMs, so that the "true" run writes the alerts a current file would raise.
# IMPORT_MODE=false leaves the evaluation to the server alone (the import commands neither evaluate nor wait).
# Usage: [HEAP=3g] [MAX_AGE_DAYS=36500] [IMPORT_MODE=true|false] benchmarks/alerts-import-benchmark.sh CHILDREN [WORK_DIR] [PORT] [MODES]
#        MODES default "false true"; build first: mvn -B -q -DskipTests package (app and benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."
CHILDREN=${1:?children}
WORK=${2:-/tmp/sightline-alerts-import-$CHILDREN}
PORT=${3:-18090}
MODES=${4:-false true}
HEAP=${HEAP:-3g}
MAX_AGE_DAYS=${MAX_AGE_DAYS:-36500}
AGENCY=E23000001
JAR=${JAR:-app/target/sightline.jar}
BENCH=${BENCH:-benchmarks/target/benchmarks.jar}
[ -f "$JAR" ] && [ -f "$BENCH" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 2; }
mkdir -p "$WORK"
[ -f "$WORK/files/missing_episodes.csv" ] || \
  java -cp "$BENCH" org.sightline.benchmarks.importexport.SingleAgencyFiles "$CHILDREN" "$AGENCY" "$WORK/files" > /dev/null
[ -d "$WORK/app" ] || java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
echo "files: $(($(wc -l < "$WORK/files/person_records.csv") - 1)) person records, $(($(wc -l < "$WORK/files/missing_episodes.csv") - 1)) missing episodes; -Xmx$HEAP; $(nproc) cores"
for mode in $MODES; do
  data="$WORK/data-$mode"
  rm -rf "$data"
  java -Xmx"$HEAP" -Dsightline.alerts.enabled=$mode -Dsightline.alerts.max-age-days="$MAX_AGE_DAYS" -jar "$JAR" demo --children 0 --data-dir "$data" --port "$PORT" \
      > "$WORK/demo-$mode.out" 2> "$WORK/demo-$mode.err" &
  DEMO=$!
  trap 'kill $DEMO 2>/dev/null || true' EXIT
  until grep -q "http://" "$WORK/demo-$mode.out" 2>/dev/null; do
    kill -0 $DEMO 2>/dev/null || { echo "demo stopped:" >&2; tail -20 "$WORK/demo-$mode.err" >&2; exit 1; }
    sleep 2
  done
  echo "== evaluation $mode; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  start_ms=$(date +%s%3N)
  for kind in person-records missing-episodes; do
    file=$([ $kind = person-records ] && echo person_records.csv || echo missing_episodes.csv)
    s=$(date +%s%3N)
    /usr/bin/time -v -o "$WORK/time-$mode-$kind.txt" java -Xmx"$HEAP" -Dsightline.alerts.enabled=${IMPORT_MODE:-$mode} \
        -Dsightline.alerts.max-age-days="$MAX_AGE_DAYS" -jar "$JAR" import --demo --data-dir "$data" --agency "$AGENCY" --kind $kind "$WORK/files/$file" \
        > "$WORK/import-$mode-$kind.out" 2> "$WORK/import-$mode-$kind.err" || true
    e=$(date +%s%3N)
    own=$(sed -n 's/^import [a-z-]*: .*(\([0-9.]*\) s)$/\1/p' "$WORK/import-$mode-$kind.err" | tail -1)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time-$mode-$kind.txt")
    printf '%-17s whole command %6.1f s, import itself %6s s, peak RSS %4d MB; load %s\n' "$kind" \
        "$(echo "($e - $s) / 1000" | bc -l)" "$own" $((rss / 1024)) "$(cut -d' ' -f1-3 /proc/loadavg)"
    grep -h '^import .* received' "$WORK/import-$mode-$kind.out" | sed 's/^/    /' || true
  done
  end_import=$(date +%s%3N)
  printf 'both imports: %.1f s\n' "$(echo "($end_import - $start_ms) / 1000" | bc -l)"
  if [ "$mode" = true ]; then
    java -cp "$WORK/app/$(basename "$JAR"):$WORK/app/lib/*" benchmarks/app-drivers/AlertAccuracyBenchmark.java \
        --drain-only "$data" "$start_ms" 2> "$WORK/drain-$mode.err"
  else
    echo "outbox rows waiting (nothing evaluates): see drain line of the 'true' run for the count written"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  kill $DEMO 2>/dev/null || true
  wait $DEMO 2>/dev/null || true
  trap - EXIT
done
