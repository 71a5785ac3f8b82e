#!/usr/bin/env bash
# Statistics at scale (issue 9 "Measured"), against a running demo generated at the size to measure, e.g.
#   java -jar app/target/sightline.jar demo --children 1000000 --port 8091 --data-dir /tmp/sl-1m
# 1. times each offline report (every kind, all areas, JSON, exact as the demo supervisor) with `report --demo`: the full
#    computation from the records (reports of a standard period read the missing-episode counts; see
#    docs/statistics.md, and StatisticsBenchmarkTest for the counts' own rebuild and refresh times);
# 2. signs in as the demo analyst and runs wrk over the statistics pages for England, one area per force
#    (benchmarks/web/rotate.lua: p50/p95/p99, non-200 counted).
# Usage: benchmarks/statistics-benchmark.sh PORT DATA_DIR [USER=analyst] [THREADS=2] [CONNECTIONS=8] [DURATION=30s]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:?port}
DATA=${2:?data dir}
USER_NAME=${3:-analyst}
THREADS=${4:-2}
CONNECTIONS=${5:-8}
DURATION=${6:-30s}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/sightline-stats-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
JAR=${SIGHTLINE_JAR:-app/target/sightline.jar}
for kind in victim-profile adult-profile missing-statistics reconciliation data-quality; do
  start=$(date +%s.%N)
  java -jar "$JAR" report --demo --data-dir "$DATA" --kind "$kind" --format json --exact --as supervisor \
      --out "$WORK/$kind.json" > "$WORK/$kind.out"
  end=$(date +%s.%N)
  printf '%s: %.1f s (JVM and Spring start included) — %s\n' "$kind" "$(echo "$end - $start" | bc)" "$(cat "$WORK/$kind.out")"
done

PASSWORD=$(sed -n "s/^$USER_NAME\.password=//p; s/^$USER_NAME=//p" "$DATA/demo-credentials.properties" | head -1)
[ -n "$PASSWORD" ] || { echo "no password for $USER_NAME in $DATA/demo-credentials.properties" >&2; exit 2; }
curl -sf -c "$WORK/jar" -b "$WORK/jar" "$BASE/sign-in" > "$WORK/form.html" || { echo "no sign-in page at $BASE" >&2; exit 1; }
CSRF=$(sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' "$WORK/form.html" | head -1)
curl -s -o /dev/null -c "$WORK/jar" -b "$WORK/jar" -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "username=$USER_NAME" --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$CSRF" \
    "$BASE/sign-in" > "$WORK/signin"
grep -q '^302 .*/$' "$WORK/signin" || { echo "sign-in failed: $(cat "$WORK/signin")" >&2; exit 1; }
COOKIE=$(awk '$6 == "JSESSIONID" {print "JSESSIONID=" $7}' "$WORK/jar")

PGPORT=$(sed -n 4p "$DATA/postgres/postmaster.pid")
# The demo database needs its password (generated at its first start, kept readable by its owner only).
export PGPASSWORD="$(cat "$DATA/postgres.password")"
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -At -v ON_ERROR_STOP=1)
{
  for view in "" /missing /reconciliation /data-quality; do
    echo "/statistics$view?area=E92000001&from=2024-04-01&to=2025-03-31"
  done
  "${PSQL[@]}" -c "SELECT '/statistics?area=' || code || '&from=2024-04-01&to=2025-03-31' FROM agency
                   WHERE agency_type = 'police_force' ORDER BY code"
} > "$WORK/paths"
echo "paths: $(wc -l < "$WORK/paths") statistics pages"
for p in $(head -5 "$WORK/paths"); do
  start=$(date +%s.%N)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$p")
  end=$(date +%s.%N)
  [ "$code" = 200 ] || { echo "$p answered $code, expected 200" >&2; exit 1; }
  printf 'first load %s: %.2f s\n' "$p" "$(echo "$end - $start" | bc)"
done
WRK_URLS="$WORK/paths" WRK_COOKIE="$COOKIE" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency \
    -s benchmarks/web/rotate.lua "$BASE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
