/**
 * The way the one sequencer's decisions reach several fan-out agents: a {@link io.sseflow.server.fanout.SequencedLog}
 * written by one thread and read by each agent at its own position, the writer never more than the log's length
 * ahead of the slowest reader (Aeron's publication limit); the {@link io.sseflow.server.fanout.SequencedEntry} layout
 * of one decision in it; the {@link io.sseflow.server.fanout.SequencedLogWriter} that the sequencer's thread polls
 * decisions into; and the {@link io.sseflow.server.fanout.FanOutSequencer}, each fan-out agent's view of the one
 * sequencer. Nothing here touches a socket, HTTP or a topic log.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package.
 */
package io.sseflow.server.fanout;
