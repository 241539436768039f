#!/usr/bin/env bash
# Fan-out load benchmark: the sseflow hub, a Netty broadcast server and Spring WebFlux, each in its own process,
# driven by the same NIO load client and HTTP publisher in the same run; prints a markdown table.
#
#   benchmarks/fanout.sh --quick     # CI: 1,000 subscribers, a few seconds per server, under 2 minutes
#   benchmarks/fanout.sh             # 1,000 and 10,000 subscribers (about 10 minutes)
#   benchmarks/fanout.sh --help      # every option
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

exec "$JAVA" -Xms1g -Xmx2g -XX:+UseParallelGC \
    -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.FanOutBenchmark "$@"
