#!/usr/bin/env bash
# Audited reads before and after (issue 11): for each jar given, starts its demo (20,000 children, seed 2011) in a
# data folder of its own on PORT, waits until the population is loaded and linked, warms up for 10 s, then measures
# the record page (/records/{publicId}: every read writes an audit entry) with wrk (benchmarks/web-benchmark.sh),
# and stops the demo. Run the jars back to back so that both meet the same machine.
# Before = a jar built at aec1add (one global advisory lock per audited request, held until commit):
#   git worktree add /tmp/before aec1add && (cd /tmp/before && mvn -B -q -o -DskipTests package)
# Usage: [JAVA_OPTS=...] [CONNECTIONS=32] [DURATION=30s] benchmarks/audit-read-benchmark.sh WORK_DIR PORT LABEL=JAR [LABEL=JAR ...]
#   e.g. benchmarks/audit-read-benchmark.sh /tmp/audit-bench 18085 before=/tmp/before/app/target/sightline.jar after=app/target/sightline.jar
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:?work dir}
PORT=${2:?port}
shift 2
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-30s}
mkdir -p "$WORK"
for pair in "$@"; do
  label=${pair%%=*}
  jar=${pair#*=}
  data="$WORK/$label"
  log="$WORK/$label-demo.log"
  rm -f "$log"
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" demo --children 20000 --port "$PORT" --data-dir "$data" > "$log" 2>&1 &
  pid=$!
  # ready, and the background linking finished (or the folder was already linked on an earlier run)
  for _ in $(seq 1 900); do
    if grep -q "demo ready" "$log" && { grep -aq "resolved into" "$log" || ! grep -q "in the background" "$log"; }; then
      break
    fi
    kill -0 $pid 2>/dev/null || { echo "$label: demo exited, see $log" >&2; exit 1; }
    sleep 1
  done
  grep -h "demo ready\|resolved into" "$log" | sed "s/^/$label: /"
  echo "== $label ($jar): warm-up 10 s"
  benchmarks/web-benchmark.sh "$PORT" "$data" records officer 2 "$CONNECTIONS" 10s | grep RESULT || true
  echo "== $label: measured"
  benchmarks/web-benchmark.sh "$PORT" "$data" records officer 2 "$CONNECTIONS" "$DURATION"
  PGPASSWORD="$(cat "$data/postgres.password")" \
    psql -h 127.0.0.1 -p "$(sed -n 4p "$data/postgres/postmaster.pid")" -U postgres -d postgres -At \
      -c "SELECT '$label: audit entries ' || count(*) FROM audit_event"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
