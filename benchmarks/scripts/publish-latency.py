#!/usr/bin/env python3
"""Time HTTP publishes to a running hub on one keep-alive connection: one POST at a time, then pipelined batches.

    python3 benchmarks/scripts/publish-latency.py PORT [TOPIC]

Prints the mean time per POST for batches of 1, 4 and 16 (20 batches each, after a warm-up). Loopback only; every
wait is bounded (5 s per read); the hub must allow open publishing (loopback host, no --publish-token).
"""
import socket
import sys
import time

port = int(sys.argv[1])
topic = sys.argv[2] if len(sys.argv) > 2 else "latency"
request = ("POST /events/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx" % topic).encode("ascii")

with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
    def batch(count):
        connection.sendall(request * count)
        received = b""
        while received.count(b"HTTP/1.1 ") < count or not received.endswith(b"\n"):
            data = connection.recv(65536)
            if not data:
                raise SystemExit("the hub closed the connection")
            received += data
        if received.count(b"HTTP/1.1 200 OK") != count:
            raise SystemExit("not every publish was answered 200: " + received.decode("utf-8", "replace")[:400])
        return count

    batch(4)
    for size in (1, 4, 16):
        started = time.perf_counter()
        published = sum(batch(size) for _ in range(20))
        elapsed = time.perf_counter() - started
        print("batches of %2d: %.2f ms per POST" % (size, elapsed * 1000 / published))
