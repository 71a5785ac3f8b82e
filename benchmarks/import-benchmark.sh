#!/usr/bin/env bash
# Bulk import throughput (issue item 8): generates N children as one agency's standard-layout files, then times
# `sightline.jar import` for person records, missing episodes and concerns into the demo's embedded PostgreSQL
# (a fresh data folder), then imports the same files again (all unchanged). Rows/s are taken from the import's
# own summary line (time from the first row read to the report; JVM and Spring start-up are shown separately).
# Usage: benchmarks/import-benchmark.sh [CHILDREN] [WORK_DIR]     (build first: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
CHILDREN=${1:-200000}
WORK=${2:-/tmp/sightline-import-bench}
AGENCY=E23000001
JAR=app/target/sightline.jar
BENCH=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] && [ -f "$BENCH" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
java -cp "$BENCH" org.sightline.benchmarks.importexport.SingleAgencyFiles "$CHILDREN" "$AGENCY" "$WORK/files"
run() {
  local kind=$1 file=$2 label=$3
  local start end
  start=$(date +%s.%N)
  java -jar "$JAR" import --demo --new --data-dir "$WORK/data" --agency "$AGENCY" --kind "$kind" "$WORK/files/$file" \
      > "$WORK/$label-$kind.out" 2> "$WORK/$label-$kind.err" || { rc=$?; [ $rc -eq 4 ] || { cat "$WORK/$label-$kind.err" >&2; exit $rc; }; }
  end=$(date +%s.%N)
  local rows seconds
  rows=$(sed -n 's/.*received \([0-9]*\) = .*/\1/p' "$WORK/$label-$kind.out")
  seconds=$(sed -n 's/^import [a-z-]*: .*(\([0-9.]*\) s)$/\1/p' "$WORK/$label-$kind.err" | tail -1)
  printf '%-6s %-17s rows %9s  import %7s s  %9.0f rows/s  (whole command %.1f s)\n' "$label" "$kind" "$rows" "$seconds" \
      "$(echo "$rows / $seconds" | bc -l)" "$(echo "$end - $start" | bc -l)"
  grep -h '^import .* received' "$WORK/$label-$kind.out" | sed 's/^/         /'
}
for pass in first again; do
  run person-records person_records.csv $pass
  run missing-episodes missing_episodes.csv $pass
  run concerns concerns.csv $pass
done
