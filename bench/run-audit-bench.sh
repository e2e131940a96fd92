#!/usr/bin/env bash
# Run the audit JMH benchmarks (1 fork, 3 warm-up and 5 measured iterations of 1 s) and the SciPy softmax
# timing on the same 1,000,000 x 10 float64 batch, then print medians, records per second and the ratio.
# Needs Maven with the project's dependencies in ~/.m2 (it runs offline; set MVN_OFFLINE= to go online)
# and /usr/bin/python3 with NumPy and SciPy (Debian: apt-get install python3-scipy).
# Takes about 2 minutes. Results stay in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN_OFFLINE=${MVN_OFFLINE--o}
OUT=target/bench
mkdir -p "$OUT"

mvn -B $MVN_OFFLINE -q test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test-classpath.txt"
CP="target/test-classes:target/classes:$(cat "$OUT/test-classpath.txt")"

echo "Checking that Java and Python build the same batch..."
java -cp "$CP" io.probity.audit.bench.AuditBenchmark --checksum > "$OUT/java-checksum.json"

echo "Running JMH (log in $OUT/jmh.log)..."
java -cp "$CP" io.probity.audit.bench.AuditBenchmark '.*' "$OUT/jmh.json" > "$OUT/jmh.log" 2>&1

echo "Running SciPy..."
/usr/bin/python3 bench/softmax_numpy.py > "$OUT/numpy.json"

/usr/bin/python3 - "$OUT" <<'PY'
import json
import statistics
import sys

out = sys.argv[1]
java_check = json.load(open(f"{out}/java-checksum.json"))
numpy = json.load(open(f"{out}/numpy.json"))
if java_check["firstLogit"] != numpy["firstLogit"]:
    sys.exit(f"the batches differ: first logit {java_check['firstLogit']} (Java) vs {numpy['firstLogit']} (Python)")
if abs(java_check["checksum"] - numpy["checksum"]) > 1e-9 * abs(numpy["checksum"]):
    sys.exit(f"the softmax results differ: checksum {java_check['checksum']} (Java) vs {numpy['checksum']} (SciPy)")
print(f"Same batch in both: first logit {numpy['firstLogit']}, checksums {java_check['checksum']:.12f} (Java) "
      f"and {numpy['checksum']:.12f} (SciPy)")

java_rows = None
for result in json.load(open(f"{out}/jmh.json")):
    name = result["benchmark"].rsplit(".", 1)[1]
    unit = result["primaryMetric"]["scoreUnit"]
    samples = [s for fork in result["primaryMetric"]["rawData"] for s in fork]
    median = statistics.median(samples)
    if name == "auditCleanRecord":
        classes = result["params"]["classes"]
        print(f"audit, clean float32 record, {classes:>4} classes: median {median:10.1f} {unit}, "
              f"{1e9 / median:12,.0f} records/s")
    elif name == "softmaxBatch":
        java_rows = 1_000_000 / (median / 1e3)
        print(f"softmax 1,000,000 x 10, Java Softmax.softmaxInto: median {median:7.1f} {unit}, {java_rows:12,.0f} rows/s")

scipy_ms = numpy["secondsMedian"] * 1e3
print(f"softmax 1,000,000 x 10, scipy.special.softmax:   median {scipy_ms:7.1f} ms/op, {numpy['rowsPerSecond']:12,.0f} rows/s "
      f"(NumPy {numpy['numpy']}, SciPy {numpy['scipy']})")
if java_rows:
    print(f"Java / SciPy throughput ratio: {java_rows / numpy['rowsPerSecond']:.2f}")
PY
