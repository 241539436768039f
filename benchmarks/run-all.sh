#!/usr/bin/env bash
# Every benchmark of issue 4 in one go, then benchmarks/RESULTS.md and its charts from the run's own files:
#
#   benchmarks/run-all.sh            # full: JMH 1 fork x (3 x 1 s warm-up + 5 x 1 s), fan-out at 1,000 and 10,000
#   benchmarks/run-all.sh --quick    # a look: short JMH iterations, fan-out --quick (1,000 subscribers)
#
# Run it on a quiet machine: other processes' CPU shows up in every timing. Steps, from the repository root:
#   1. build benchmarks/target/benchmarks.jar and nio-server/target/sseflow-server.jar if missing (RUNALL_BUILD=1
#      rebuilds them);
#   2. JMH EncoderBenchmark -prof gc -rf json -> benchmarks/results/jmh.json (console in jmh.log);
#   3. benchmarks/fanout.sh -> benchmarks/results/fanout.md (table), fanout.csv, fanout.log;
#   3a. (full runs) benchmarks/fanout.sh --topics-per-subscriber 3 for sseflow at 1,000 subscribers ->
#      results/fanout-multitopic.{md,csv,log}, rows of the fan-out table in RESULTS.md;
#   4. io.sseflow.benchmarks.report.ResultsReport -> benchmarks/RESULTS.md, results/encoder.png, results/fanout.png.
# The machine, JDK, commit, date and the exact commands go to benchmarks/results/run-info.txt (read by the report).
# RUNALL_DURABLE=1 adds, after step 3, benchmarks/fanout.sh --scenario durable (in-memory hub, durable node, 3-node
# cluster; --quick in quick mode) -> results/durable.md, durable.csv, durable.log (a section of RESULTS.md);
# RUNALL_DURABLE_ARGS is appended to it.
# Environment overrides (recorded in the commands): RUNALL_JMH_SETTINGS (e.g. "-f 1 -wi 1 -w 200ms -i 1 -r 200ms"),
# RUNALL_JMH_INCLUDE (JMH regex, default '\.EncoderBenchmark\.'), RUNALL_FANOUT_ARGS (appended to fanout.sh, e.g.
# "--servers sseflow,netty --quiet-wait-s 60").
# Exit status: 0 ok; 1 the fan-out run lost, repeated or reordered events; 2 a build, JMH or the report failed.
set -uo pipefail
cd "$(dirname "$0")/.."

MODE=full
for arg in "$@"; do
    case "$arg" in
        --quick) MODE=quick ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "run-all.sh: unknown option $arg (--quick, --help)" >&2; exit 2 ;;
    esac
done

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=benchmarks/target/benchmarks.jar
RESULTS=benchmarks/results
INFO="$RESULTS/run-info.txt"

# The command as it can be pasted back into a shell.
shown() {
    local out="" arg
    for arg in "$@"; do
        if [[ "$arg" =~ ^[A-Za-z0-9_./,:=+@%-]+$ ]]; then out+="$arg "; else out+="'${arg//\'/\'\\\'\'}' "; fi
    done
    printf '%s' "${out% }"
}
record() { printf '%s=%s\n' "$1" "$2" >> "$INFO"; }
# One measuring step: records its command (command_KEY), shows it, tees its output to LOG, then records its exit
# status (KEY_exit) and run time (KEY_seconds); the exit status is left in step_exit.
run_step() {
    local key=$1 label=$2 log=$3 started=$SECONDS
    shift 3
    record "command_$key" "$(shown "$@")"
    echo "== $label: $(shown "$@")"
    "$@" 2>&1 | tee "$log"
    step_exit=${PIPESTATUS[0]}
    record "${key}_exit" "$step_exit"
    record "${key}_seconds" "$((SECONDS - started))"
}

mkdir -p "$RESULTS"
rm -f "$RESULTS"/{jmh.json,jmh.log,fanout.md,fanout.csv,fanout.log,durable.md,durable.csv,durable.log,run-info.txt,encoder.png,fanout.png}

record mode "$MODE"
record date_utc "$(date -u '+%Y-%m-%d %H:%M UTC')"
record commit "$(git rev-parse --short=12 HEAD 2>/dev/null)"
record commit_subject "$(git log -1 --format=%s 2>/dev/null)"
if [ -n "$(git status --porcelain --untracked-files=no -- . ':!benchmarks/results' ':!benchmarks/RESULTS.md' 2>/dev/null)" ]; then
    record commit_dirty yes
else
    record commit_dirty no
fi
record nproc "$(nproc)"
record cpu_model "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
record mem_total "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
record kernel "$(uname -r)"
record os "$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -s)"
record java_version "$("$JAVA" -version 2>&1 | paste -sd ';' | sed 's/;/; /g')"
record loadavg_before "$(cut -d' ' -f1-3 /proc/loadavg)"
OVERRIDES=""
for var in RUNALL_BUILD RUNALL_JMH_SETTINGS RUNALL_JMH_INCLUDE RUNALL_FANOUT_ARGS RUNALL_DURABLE RUNALL_DURABLE_ARGS; do
    if [ -n "${!var:-}" ]; then OVERRIDES+="$var=$(shown "${!var}") "; fi
done
record command_runall "$OVERRIDES$(shown benchmarks/run-all.sh "$@")"

# 1. Build
BUILD=(mvn -q -B -pl benchmarks,nio-server -am package -DskipTests)
if [ "${RUNALL_BUILD:-0}" = 1 ] || [ ! -f "$JAR" ] || [ ! -f nio-server/target/sseflow-server.jar ] ||
    ! grep -aq 'io/sseflow/benchmarks/report/ResultsReport.class' "$JAR"; then
    record command_build "$(shown "${BUILD[@]}")"
    echo "== build: $(shown "${BUILD[@]}")"
    if ! "${BUILD[@]}"; then
        echo "run-all.sh: build failed" >&2
        exit 2
    fi
else
    record command_build "# jars present, not rebuilt: $(shown "${BUILD[@]}")"
fi

# 2. Encoder (JMH)
if [ "$MODE" = quick ]; then
    JMH_SETTINGS="${RUNALL_JMH_SETTINGS:--f 1 -wi 2 -w 500ms -i 3 -r 500ms}"
else
    JMH_SETTINGS="${RUNALL_JMH_SETTINGS:--f 1 -wi 3 -w 1 -i 5 -r 1}"
fi
read -r -a JMH_SETTINGS_ARGS <<< "$JMH_SETTINGS"
JMH=("$JAVA" -jar "$JAR" "${RUNALL_JMH_INCLUDE:-\\.EncoderBenchmark\\.}" "${JMH_SETTINGS_ARGS[@]}"
    -prof gc -rf json -rff "$RESULTS/jmh.json")
run_step jmh encoder "$RESULTS/jmh.log" "${JMH[@]}"
jmh_exit=$step_exit

# 3. Fan-out
read -r -a FANOUT_EXTRA <<< "${RUNALL_FANOUT_ARGS:-}"
if [ "$MODE" = quick ]; then
    FANOUT=(benchmarks/fanout.sh --quick)
else
    FANOUT=(benchmarks/fanout.sh --subscribers 1000,10000)
fi
FANOUT+=(--out "$RESULTS/fanout.md" --csv "$RESULTS/fanout.csv" "${FANOUT_EXTRA[@]}")
run_step fanout fan-out "$RESULTS/fanout.log" "${FANOUT[@]}"
fanout_exit=$step_exit

# 3a. Multi-topic streams (full runs): sseflow, 1,000 subscribers each on one stream of 3 topics; its rows join the
# fan-out table of RESULTS.md
if [ "$MODE" != quick ]; then
    MULTI_TOPICS=3
    MULTI=(benchmarks/fanout.sh --subscribers 1000 --servers sseflow --stalled-percent 0
        --topics-per-subscriber "$MULTI_TOPICS" --out "$RESULTS/fanout-multitopic.md"
        --csv "$RESULTS/fanout-multitopic.csv" "${FANOUT_EXTRA[@]}")
    record fanout_multitopic_topics "$MULTI_TOPICS"
    run_step fanout_multitopic "multi-topic fan-out" "$RESULTS/fanout-multitopic.log" "${MULTI[@]}"
    if [ "$step_exit" != 0 ]; then fanout_exit=$step_exit; fi
else
    rm -f "$RESULTS/fanout-multitopic.csv" "$RESULTS/fanout-multitopic.md" "$RESULTS/fanout-multitopic.log"
fi

# 3b. Durable and clustered hub (RUNALL_DURABLE=1)
durable_exit=0
if [ "${RUNALL_DURABLE:-0}" = 1 ]; then
    read -r -a DURABLE_EXTRA <<< "${RUNALL_DURABLE_ARGS:-}"
    DURABLE=(benchmarks/fanout.sh --scenario durable)
    if [ "$MODE" = quick ]; then DURABLE+=(--quick); fi
    DURABLE+=(--out "$RESULTS/durable.md" --csv "$RESULTS/durable.csv" "${DURABLE_EXTRA[@]}")
    run_step durable durable "$RESULTS/durable.log" "${DURABLE[@]}"
    durable_exit=$step_exit
fi

# 4. Report
REPORT=("$JAVA" -cp "$JAR" io.sseflow.benchmarks.report.ResultsReport --results "$RESULTS" --out benchmarks/RESULTS.md)
record command_report "$(shown "${REPORT[@]}")"
echo "== report: $(shown "${REPORT[@]}")"
"${REPORT[@]}" || exit 2

if [ "$jmh_exit" != 0 ]; then
    echo "run-all.sh: JMH exited $jmh_exit (see $RESULTS/jmh.log)" >&2
    exit 2
fi
if [ "$fanout_exit" != 0 ] || [ "$durable_exit" != 0 ]; then
    echo "run-all.sh: the fan-out run exited $fanout_exit, the durable scenario $durable_exit (see $RESULTS/*.log)" >&2
    exit 1
fi
