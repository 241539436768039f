package io.sseflow.benchmarks.fanout;

/**
 * The server's memory empty and with every subscriber connected and warmed up: heap used after a full GC and RSS,
 * in bytes (0 where not measured).
 *
 * @param emptyHeap      heap of the empty server.
 * @param emptyRss       RSS of the empty server.
 * @param idleHeap       heap with N idle subscribers.
 * @param idleRss        RSS with N idle subscribers.
 * @param connectSeconds time to connect and warm up every subscriber.
 */
record IdleMemory(long emptyHeap, long emptyRss, long idleHeap, long idleRss, double connectSeconds)
{
}
