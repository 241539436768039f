#!/usr/bin/env bash
# Fan-out load benchmark: the sseflow hub, a Netty broadcast server and Spring WebFlux, each in its own process,
# driven by the same NIO load client and HTTP publisher in the same run; prints a markdown table.
#
#   benchmarks/fanout.sh --quick     # CI: 1,000 subscribers, a few seconds per server, under 2 minutes
#   benchmarks/fanout.sh             # 1,000 and 10,000 subscribers (about 10 minutes)
#   benchmarks/fanout.sh --help      # every option
#   benchmarks/fanout.sh --agents N  # the hub with N fan-out agents (any other option as usual)
#   benchmarks/fanout.sh --scaling [--quick]   # sseflow only, at --agents 1, 2, 4 (and 8, 16... while the hub's half
#                                    # of the CPUs has that many): the hub pinned to the first half of the CPUs, the
#                                    # load process to the other half (taskset); a table of deliveries/s, server CPU
#                                    # s / 1M deliveries, writes per delivery, p50/p99/p99.9 and E(N) = rate(N) /
#                                    # (N x rate(1)); every --agents run also prints its own full table
#   benchmarks/fanout.sh --scenario durable [--quick]   # the hub in memory, as one durable node (--data-dir) and as a
#                                    # 3-node cluster on loopback, 1,000 subscribers each (spread over the nodes),
#                                    # plus failover stall (kill -9 of the leader) and RSS/disk per node (~3 min;
#                                    # --quick about 1 min)
#
# After the max-rate and latency phases, each server runs them again with 10% of the subscribers stalled
# (--stalled-percent P, 0 = off): every (100/P)th connection, opened with a 4 KiB SO_RCVBUF, stops reading; the
# readers' deliveries/s and p99 are compared with the all-reading run (issue 5: within 10%), the server's heap
# (after GC), RSS and kernel send queues are stated in bytes, and the stalled connections the server dropped are
# counted (expected, not a failure).
#
# Exit status 1 if any (reading) subscriber lost, repeated or reordered an event (or never got it); timing never
# fails.
# Builds benchmarks/target/benchmarks.jar and nio-server/target/sseflow-server.jar when missing
# (FANOUT_BUILD=1 rebuilds them). Loopback only; every phase is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

# 10,000 subscribers need 10,000 descriptors in the load process and as many in each server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 20000 ]; then
    echo "fanout.sh: open files limit is $(ulimit -n); 10,000 subscribers need more than 10,000" >&2
fi

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MVN_FLAGS=(-q -B -DskipTests)

if [ "${FANOUT_BUILD:-0}" = 1 ] || [ ! -f benchmarks/target/benchmarks.jar ]; then
    mvn "${MVN_FLAGS[@]}" -pl benchmarks -am package
fi
if grep -q '<module>nio-server</module>' pom.xml && { [ "${FANOUT_BUILD:-0}" = 1 ] || [ ! -f nio-server/target/sseflow-server.jar ]; }; then
    mvn "${MVN_FLAGS[@]}" -pl nio-server -am package ||
        echo "fanout.sh: could not build nio-server/target/sseflow-server.jar; sseflow will be skipped" >&2
fi

BENCH=("$JAVA" -Xms1g -Xmx2g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
    io.sseflow.benchmarks.fanout.FanOutBenchmark)

scaling=0
args=()
for a in "$@"; do
    if [ "$a" = --scaling ]; then scaling=1; else args+=("$a"); fi
done
if [ "$scaling" = 0 ]; then
    exec "${BENCH[@]}" "$@"
fi

cpus=$(nproc)
if [ "$cpus" -lt 2 ] || ! command -v taskset >/dev/null; then
    echo "fanout.sh --scaling: needs taskset and at least 2 CPUs (found $cpus)" >&2
    exit 2
fi
half=$((cpus / 2))
server_cpus="0-$((half - 1))"
client_cpus="$half-$((cpus - 1))"
counts=(1 2 4)
for ((n = 8; n <= half; n *= 2)); do counts+=("$n"); done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
for n in "${counts[@]}"; do
    taskset -c "$client_cpus" "${BENCH[@]}" --servers sseflow --stalled-percent 0 --server-cpus "$server_cpus" \
        --agents "$n" --csv "$dir/agents-$n.csv" "${args[@]}" || status=1
done

echo
echo "Scaling, $cpus CPUs: hub on $server_cpus, load process on $client_cpus; E(N) = rate(N) / (N x rate(1))."
echo
echo "| agents | subscribers | deliveries/s | server CPU s / 1M deliveries | writes / delivery | p50 ms | p99 ms | p99.9 ms | E(N) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
    [ -f "$dir/agents-$n.csv" ] || continue
    awk -F, -v n="$n" -v base="$dir/agents-1.csv" '
        function index_of(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
        BEGIN {
            while ((getline line < base) > 0) {
                split(line, f, ",")
                if (!header) { for (i in f) col[f[i]] = i; header = 1; continue }
                rate1[f[col["subscribers"]]] = f[col["max_deliveries_per_s"]]
            }
        }
        NR == 1 { s = index_of("subscribers"); r = index_of("max_deliveries_per_s");
            c = index_of("server_cpu_s_per_1m_deliveries"); w = index_of("server_write_syscalls_per_delivery");
            p50 = index_of("p50_ms"); p99 = index_of("p99_ms"); p999 = index_of("p99_9_ms"); next }
        {
            e = (rate1[$s] > 0 && $r != "") ? sprintf("%.2f", $r / (n * rate1[$s])) : "–"
            printf "| %s | %s | %.0f | %.2f | %.2f | %.1f | %.1f | %.1f | %s |\n", n, $s, $r, $c, $w, $p50, $p99, $p999, e
        }' "$dir/agents-$n.csv"
done
exit "$status"
