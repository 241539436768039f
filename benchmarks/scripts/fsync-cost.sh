#!/usr/bin/env bash
# What syncing the log costs a single durable hub (issue 18), --fsync=true and --fsync=false in one run: for each, a
# fresh hub on a data dir under ${TMPDIR:-/tmp}, then 400 publishes one at a time, 3,200 in pipelined batches of 16
# and 6,400 in batches of 64 on one keep-alive connection (after a warm-up), each timed. With STRACE=1 the hub runs
# under `strace -f` and the sync calls (fsync, fdatasync, msync) made while each set was answered are counted too
# (strace slows the hub: take the times from a run without it).
#
#   bash benchmarks/scripts/fsync-cost.sh            # times
#   STRACE=1 bash benchmarks/scripts/fsync-cost.sh   # times under strace, and sync calls per set
#
# Needs nio-server/target/sseflow-server.jar. Loopback only; every wait is bounded; each hub is killed and its data
# dir and Aeron dir deleted when its part is done.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=nio-server/target/sseflow-server.jar
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$JAR" ] || { echo "fsync-cost.sh: build $JAR first (mvn -pl nio-server -am package -DskipTests)" >&2; exit 2; }

publish() { # PORT TOTAL BATCH: prints "TOTAL in batches of BATCH: MS ms"
    python3 - "$@" <<'EOF'
import socket, sys, time
port, total, batch = (int(a) for a in sys.argv[1:4])
request = b"POST /events/fsync-cost HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"
with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
    answers = connection.makefile("rb")
    start, sent = time.time(), 0
    while sent < total:
        count = min(batch, total - sent)
        connection.sendall(request * count)
        for _ in range(count):
            status = answers.readline()
            if b" 200 " not in status:
                sys.exit("publish answered %r" % status)
            length = 0
            while True:
                header = answers.readline()
                if header in (b"\r\n", b""):
                    break
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            answers.read(length)
        sent += count
    print("%d in batches of %d: %.0f ms" % (total, batch, (time.time() - start) * 1000))
EOF
}

syncs() { [ -n "${TRACE:-}" ] && grep -c -E '^[0-9]+ +(fsync|fdatasync|msync)\(' "$TRACE" || echo 0; }

for fsync in true false; do
    dir=$(mktemp -d "${TMPDIR:-/tmp}/sseflow-fsync-cost-XXXXXX")
    TRACE=
    if [ "${STRACE:-0}" = 1 ]; then
        TRACE=$dir.strace
        strace -f -qq -e trace=fsync,fdatasync,msync -o "$TRACE" \
            "$JAVA" -Xmx256m -jar "$JAR" --port 0 --data-dir "$dir/data" --fsync=$fsync >"$dir.out" 2>"$dir.err" &
    else
        "$JAVA" -Xmx256m -jar "$JAR" --port 0 --data-dir "$dir/data" --fsync=$fsync >"$dir.out" 2>"$dir.err" &
    fi
    launched=$!
    for _ in $(seq 1 600); do grep -q "listening on" "$dir.out" 2>/dev/null && break; sleep 0.1; done
    port=$(grep -o "127.0.0.1:[0-9]*" "$dir.out" | head -1 | cut -d: -f2)
    for _ in $(seq 1 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break; sleep 0.1
    done
    publish "$port" 200 16 >/dev/null
    line="--fsync=$fsync:"
    for set in "400 1" "3200 16" "6400 64"; do
        before=$(syncs)
        result=$(publish "$port" $set)
        line="$line $result"
        [ -n "$TRACE" ] && line="$line ($(( $(syncs) - before )) sync calls)"
        line="$line;"
    done
    echo "${line%;}"
    hub=$launched
    [ -n "$TRACE" ] && hub=$(pgrep -P "$launched" || echo "$launched")
    kill -9 "$hub" 2>/dev/null || true
    wait "$launched" 2>/dev/null || true
    aeron=$(grep -o "Aeron dir [^ ]*" "$dir.err" | cut -d" " -f3 || true)
    rm -rf "$dir" "$dir".* ${aeron:+"$aeron"}
done
