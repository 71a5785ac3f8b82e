#!/usr/bin/env bash
# Identity accuracy through the real import path (issue 7): generates CHILDREN children with SEED, imports their
# person records agency by agency in time order into a fresh demo database (embedded PostgreSQL in WORK/data) through
# ImportService.importNow -- what `sightline.jar import --demo` runs -- with online resolution, then prints pairwise
# precision / recall / F1 against the generator's truth, records/s and the per-record resolution time.
# The driver is benchmarks/app-drivers/ImportAccuracyBenchmark.java (see its comment for why it starts the
# application once instead of once per agency file).
# Usage: benchmarks/identity-accuracy-benchmark.sh CHILDREN SEED [WORK_DIR] [HEAP]   (build first: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
CHILDREN=${1:?children}
SEED=${2:?seed}
WORK=${3:-/tmp/sightline-accuracy-$CHILDREN-$SEED}
HEAP=${4:-2g}
JAR=app/target/sightline.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar "$JAR" generate --children "$CHILDREN" --seed "$SEED" --out "$WORK/population" > "$WORK/generate.out" 2>&1
# The application's classes and libraries as a plain classpath for the single-file driver.
java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
/usr/bin/time -v -o "$WORK/time.txt" java -Xmx"$HEAP" -cp "$WORK/app/sightline.jar:$WORK/app/lib/*" \
    benchmarks/app-drivers/ImportAccuracyBenchmark.java "$WORK/population" "$WORK/data" | tee "$WORK/result.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Elapsed \(wall|Maximum resident" "$WORK/time.txt" | sed 's/^\s*/driver process: /'
