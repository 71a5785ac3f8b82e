#!/usr/bin/env bash
# Page load with wrk against a running demo (child's page, or the audited record page):
#   1. signs in with curl through the form (CSRF token from /sign-in; password from DATA_DIR/demo-credentials.properties),
#   2. picks up to 2,000 pages the user may open, straight from the demo's database (psql as the embedded owner, with the password in DATA_DIR/postgres.password):
#      children = identities holding a record of the user's agency; records = the user's agency's person records,
#   3. checks the first 20 with curl (each must answer 200),
#   4. runs wrk with benchmarks/web/rotate.lua (rotates the paths, sends the cookie, counts non-200, prints p50/p95/p99).
# Usage: benchmarks/web-benchmark.sh PORT DATA_DIR children|records [USER=officer] [THREADS=2] [CONNECTIONS=32] [DURATION=30s]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:?port}
DATA=${2:?data dir}
KIND=${3:?children or records}
USER_NAME=${4:-officer}
THREADS=${5:-2}
CONNECTIONS=${6:-32}
DURATION=${7:-30s}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/sightline-web-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

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
if [ "$KIND" = children ]; then
  "${PSQL[@]}" -c "SELECT DISTINCT '/children/' || i.public_id FROM identity i
      JOIN person_record pr ON pr.identity_id = i.id JOIN app_user u ON u.agency_id = pr.agency_id
      WHERE u.username = '$USER_NAME' LIMIT 2000" > "$WORK/paths"
else
  "${PSQL[@]}" -c "SELECT '/records/' || pr.public_id FROM person_record pr JOIN app_user u ON u.agency_id = pr.agency_id
      WHERE u.username = '$USER_NAME' ORDER BY pr.id LIMIT 2000" > "$WORK/paths"
fi
echo "paths: $(wc -l < "$WORK/paths") $KIND pages of $USER_NAME's agency"
for p in $(head -20 "$WORK/paths"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$p")
  [ "$code" = 200 ] || { echo "$p answered $code, expected 200" >&2; exit 1; }
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
WRK_URLS="$WORK/paths" WRK_COOKIE="$COOKIE" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency \
    -s benchmarks/web/rotate.lua "$BASE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
