#!/usr/bin/env bash
# The first hour (issue 15): wall time of `import` for a 3-row person-records file, i.e. almost all start-up. The
# demo database is created and migrated once beforehand (not timed; through bin/sightline this also records its
# class archive, in WORK_DIR/cache), then RUNS imports of the same 3 rows are timed end to end (process start to
# exit), with the load average, and the time to the first line.
# Usage: benchmarks/small-import-benchmark.sh [RUNS] [WORK_DIR] [launcher|jar]   (build first: mvn -B -DskipTests package)
#   launcher: bin/sightline (the default)   jar: java -jar app/target/sightline.jar
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=${2:-/tmp/sightline-small-import-bench}
HOW=${3:-launcher}
AGENCY=E23000001
JAR=app/target/sightline.jar
BENCH=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
case "$HOW" in
  launcher) export SIGHTLINE_CACHE="$WORK/cache"; RUN=(bin/sightline) ;;
  jar) RUN=(java -jar "$JAR") ;;
  *) echo "the third argument is launcher or jar" >&2; exit 2 ;;
esac
java -cp "$BENCH" org.sightline.benchmarks.importexport.SingleAgencyFiles 20 "$AGENCY" "$WORK/files" > /dev/null
head -4 "$WORK/files/person_records.csv" > "$WORK/three.csv"
echo "warm-up: creating and migrating the demo database in $WORK/data (not timed)"
"${RUN[@]}" import --demo --new --data-dir "$WORK/data" --agency "$AGENCY" --kind person-records "$WORK/three.csv" \
    > "$WORK/warmup.out" 2> "$WORK/warmup.err" || { cat "$WORK/warmup.err" >&2; exit 1; }
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  first=""
  # The time of the first line on stderr shows how soon the command speaks.
  while IFS= read -r line; do
    [ -z "$first" ] && first=$(( ($(date +%s%N) - start) / 1000000 ))
  done < <("${RUN[@]}" import --demo --data-dir "$WORK/data" --agency "$AGENCY" --kind person-records \
      "$WORK/three.csv" 2>&1 >"$WORK/run$i.out")
  end=$(date +%s%N)
  printf 'run %d ('"$HOW"'): 3-row import %.2f s wall, first line after %d ms, load %s  (%s)\n' "$i" \
      "$(echo "($end - $start) / 1000000000" | bc -l)" "${first:-0}" "$(cut -d' ' -f1-3 /proc/loadavg)" \
      "$(grep -h '^import .* received' "$WORK/run$i.out")"
done
