#!/usr/bin/env bash
# Load test of POST /api/v1/predictions against a raw binary COPY of the same rows, on one embedded
# PostgreSQL 17 (fsync and synchronous_commit on) that this script starts under target/bench/ingest and
# deletes at the end. It builds the jar when a main source is newer than it and starts the jar on a free
# 127.0.0.1 port. It prints per-repetition and median rates and their ratio. The client that does the work
# is io.probity.ingest.bench.IngestLoad, whose --help lists the options.
#
# Settings, as environment variables or as --option=value arguments (arguments win):
#   RECORDS (200000) predictions per repetition    REPETITIONS (5)  BATCH (1000) records per request and COPY
#   CLIENTS (4) concurrent clients and connections  WARMUP (600000)  SEED (20260601)
#   NUMBER_FORMAT (float64) or float32: how the float32 logits and probabilities are written
#   TIME_ORDER (live) or random: timestamps in arrival order, or shuffled over 14 days (rollup worst case)
#   TIME_LIMIT (600) seconds before the client aborts   SERVER_JVM_OPTIONS ("") options of the Probity JVM
#   KEEP_DATA=1 keeps the database folder           MVN_OFFLINE=   lets Maven go online (default -o)
# With the defaults it takes about 2 to 3 minutes on 2 cores, plus a build when one is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN_OFFLINE=${MVN_OFFLINE--o}
OUT=target/bench
WORK=$OUT/ingest
JAR=target/quarkus-app/quarkus-run.jar
CLASSPATH_FILE=$OUT/test-classpath.txt
mkdir -p "$WORK"

# Returns success when $1 is missing or a file under the other arguments is newer than it.
stale() {
    local target=$1
    shift
    [[ ! -e $target ]] && return 0
    [[ -n $(find "$@" -path frontend/generated -prune -o -type f -newer "$target" -print -quit 2>/dev/null) ]]
}

if stale "$JAR" src/main db frontend pom.xml; then
    echo "Building the jar and the test classpath..."
    mvn -B $MVN_OFFLINE -q package -DskipTests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
elif stale "$CLASSPATH_FILE" src/test pom.xml; then
    echo "Compiling the load client..."
    mvn -B $MVN_OFFLINE -q test-compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
fi
CP="target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")"

ARGS=()
[[ -n ${RECORDS:-} ]] && ARGS+=("--records=$RECORDS")
[[ -n ${REPETITIONS:-} ]] && ARGS+=("--repetitions=$REPETITIONS")
[[ -n ${BATCH:-} ]] && ARGS+=("--batch=$BATCH")
[[ -n ${CLIENTS:-} ]] && ARGS+=("--clients=$CLIENTS")
[[ -n ${WARMUP:-} ]] && ARGS+=("--warmup=$WARMUP")
[[ -n ${SEED:-} ]] && ARGS+=("--seed=$SEED")
[[ -n ${NUMBER_FORMAT:-} ]] && ARGS+=("--number-format=$NUMBER_FORMAT")
[[ -n ${TIME_ORDER:-} ]] && ARGS+=("--time-order=$TIME_ORDER")
[[ -n ${TIME_LIMIT:-} ]] && ARGS+=("--time-limit=$TIME_LIMIT")
[[ -n ${SERVER_JVM_OPTIONS:-} ]] && ARGS+=("--server-jvm-options=$SERVER_JVM_OPTIONS")

# Signals the process in pid file $1 when its command line contains $2, then waits up to 30 s for it.
stop_recorded() {
    local pid_file=$1 pattern=$2 signal=$3 pid
    [[ -f $pid_file ]] || return 0
    pid=$(head -n 1 "$pid_file" | tr -dc 0-9)
    [[ -n $pid ]] || return 0
    if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$pattern"; then
        echo "Stopping leftover process $pid ($pattern)" >&2
        kill "-$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 60); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 0.5
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

# The client stops the server and PostgreSQL in its shutdown hooks. When it was killed before they ran,
# the recorded process ids let this script stop them.
cleanup() {
    if [[ -n ${CLIENT_PID:-} ]] && kill -0 "$CLIENT_PID" 2>/dev/null; then
        kill -TERM "$CLIENT_PID" 2>/dev/null || true
        wait "$CLIENT_PID" 2>/dev/null || true
    fi
    stop_recorded "$WORK/server.pid" quarkus-run.jar TERM
    stop_recorded "$WORK/pgdata/postmaster.pid" postgres INT
    if [[ ${KEEP_DATA:-} != 1 ]]; then
        rm -rf "$WORK/pgdata" "$WORK/probity-data"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -f "$WORK/server.pid"
java -Xmx3g -cp "$CP" io.probity.ingest.bench.IngestLoad "--work-dir=$WORK" "--jar=$JAR" ${ARGS[@]+"${ARGS[@]}"} "$@" &
CLIENT_PID=$!
wait "$CLIENT_PID"
