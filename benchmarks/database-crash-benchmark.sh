#!/usr/bin/env bash
# Issue 14's target "after kill -9 of PostgreSQL and its restart, the app serves again within 10 s": starts the demo
# (its own data folder, --children 0 unless CHILDREN is set), signs nothing in but calls the search API with the demo
# officer's Basic credentials every 100 ms, kills the embedded PostgreSQL's postmaster with SIGKILL, and reports the
# seconds from the kill to the first 200, the answers seen meanwhile, and how many of the next 50 requests were 5xx.
# The demo supervises its database and restarts it on the same port; the application's pool reconnects by itself.
# Usage: benchmarks/database-crash-benchmark.sh [PORT=18094] [JAR=app/target/sightline.jar]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-18094}
JAR=${2:-app/target/sightline.jar}
CHILDREN=${CHILDREN:-0}
DATA=$(mktemp -d /tmp/sightline-crash-XXXXXX)
LOG=$DATA.log
# The demo is stopped with SIGTERM (its shutdown hooks stop PostgreSQL) before its folder is removed.
stop_demo() {
  [ -n "${java_pid:-}" ] && kill "$java_pid" 2>/dev/null || true
  wait "$demo" 2>/dev/null || true
}
trap 'stop_demo; rm -rf "$DATA"' EXIT

/usr/bin/time -v java -jar "$JAR" demo --children "$CHILDREN" --port "$PORT" --data-dir "$DATA" > "$LOG" 2>&1 &
demo=$!
sleep 1
java_pid=$(pgrep -P "$demo" java)
until grep -q "Sightline demo ready" "$LOG"; do
  kill -0 "$demo" 2>/dev/null || { echo "demo exited, see $LOG" >&2; exit 1; }
  sleep 1
done
grep -h "demo ready" "$LOG"
PASSWORD=$(sed -n "s/^officer\.password=//p; s/^officer=//p" "$DATA/demo-credentials.properties" | head -1)
call() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 -u "officer:$PASSWORD" -H 'Content-Type: application/json' \
      -d '{"familyName": "Nobody"}' "http://127.0.0.1:$PORT/api/v1/records/search" || echo 000
}
[ "$(call)" = 200 ] || { echo "the search API does not answer 200 before the kill" >&2; exit 1; }

postmaster=$(sed -n 1p "$DATA/postgres/postmaster.pid")
echo "load average before the kill: $(cut -d' ' -f1-3 /proc/loadavg)"
killed=$(date +%s.%N)
kill -9 "$postmaster"
seen=()
while :; do
  status=$(call)
  seen+=("$status")
  [ "$status" = 200 ] && break
  if (( $(echo "$(date +%s.%N) - $killed > 120" | bc) )); then echo "not serving 120 s after the kill" >&2; exit 1; fi
  sleep 0.1
done
back=$(date +%s.%N)
after5xx=0
for _ in $(seq 50); do
  status=$(call)
  [[ "$status" == 5* || "$status" == 000 ]] && after5xx=$((after5xx + 1))
done
printf 'RESULT serving again %.1f s after kill -9 of the postmaster (pid %s); answers until then: %s; 5xx in the next 50: %d\n' \
    "$(echo "$back - $killed" | bc)" "$postmaster" "$(printf '%s\n' "${seen[@]}" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" "$after5xx"
grep -h "database stopped unexpectedly\|database is back" "$LOG" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_demo
grep -h "Elapsed (wall clock)\|Maximum resident" "$LOG"
