#!/usr/bin/env bash
# The search API under load with a personal API token (issue 14: no bcrypt per request), against a running demo:
#   1. signs in with curl through the form and creates a read token on /account/api-tokens,
#   2. takes up to 2,000 family names of the user's agency's records from the demo's database,
#   3. checks one search with curl (must answer 200),
#   4. runs wrk with benchmarks/web/rotate.lua (POST /api/v1/records/search, rotating the names).
# Usage: benchmarks/api-search-benchmark.sh PORT DATA_DIR [USER=officer] [THREADS=2] [CONNECTIONS=32] [DURATION=30s]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:?port}
DATA=${2:?data dir}
USER_NAME=${3:-officer}
THREADS=${4:-2}
CONNECTIONS=${5:-32}
DURATION=${6:-30s}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/sightline-api-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

PASSWORD=$(sed -n "s/^$USER_NAME\.password=//p; s/^$USER_NAME=//p" "$DATA/demo-credentials.properties" | head -1)
[ -n "$PASSWORD" ] || { echo "no password for $USER_NAME in $DATA/demo-credentials.properties" >&2; exit 2; }
csrf() { sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' "$1" | head -1; }
curl -sf -c "$WORK/jar" -b "$WORK/jar" "$BASE/sign-in" > "$WORK/form.html"
curl -s -o /dev/null -c "$WORK/jar" -b "$WORK/jar" --data-urlencode "username=$USER_NAME" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$(csrf "$WORK/form.html")" "$BASE/sign-in"
curl -sf -c "$WORK/jar" -b "$WORK/jar" "$BASE/account/api-tokens" > "$WORK/tokens.html"
curl -s -c "$WORK/jar" -b "$WORK/jar" --data-urlencode "name=benchmark $(date +%s)" --data-urlencode "scope=read" \
    --data-urlencode "days=1" --data-urlencode "_csrf=$(csrf "$WORK/tokens.html")" "$BASE/account/api-tokens" \
    > "$WORK/created.html"
TOKEN=$(grep -o 'slt_[A-Za-z0-9_-]*' "$WORK/created.html" | awk 'length > 20' | head -1)
[ -n "$TOKEN" ] || { echo "could not create an API token" >&2; exit 1; }

PGPORT=$(sed -n 4p "$DATA/postgres/postmaster.pid")
export PGPASSWORD
PGPASSWORD=$(cat "$DATA/postgres.password")
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -c "SELECT DISTINCT pr.family_name
    FROM person_record pr JOIN app_user u ON u.agency_id = pr.agency_id
    WHERE u.username = '$USER_NAME' AND pr.family_name ~ '^[A-Za-z][A-Za-z '' -]*$' LIMIT 2000" > "$WORK/names"
echo "names: $(wc -l < "$WORK/names") family names of $USER_NAME's agency"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"familyName\":\"$(head -1 "$WORK/names")\"}" "$BASE/api/v1/records/search")
[ "$code" = 200 ] || { echo "search answered $code, expected 200" >&2; exit 1; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
WRK_URLS="$WORK/names" WRK_POST=/api/v1/records/search WRK_BODY='{"familyName":"%s"}' WRK_AUTH="Bearer $TOKEN" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s benchmarks/web/rotate.lua "$BASE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
