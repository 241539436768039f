/**
 * Test support shared by every test of nio-server: raw HTTP exchanges, the one WHATWG event-stream parser of the
 * tests, polling a condition with a deadline, memory probes, publishing through the public API and the hub as a
 * child process. Helpers that need package-private server classes stay in {@code io.sseflow.server}.
 */
package io.sseflow.server.support;
