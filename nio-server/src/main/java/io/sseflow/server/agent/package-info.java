/**
 * The server agent: one thread that serves every connection, package-private except its entry point
 * {@link io.sseflow.server.agent.ServerRuntime}, which {@link io.sseflow.server.SseServer} owns (it binds, builds
 * the agent, runs it on its thread, and carries publish, topic lookup, disconnect and close from the API to it).
 * <p>
 * {@code ServerAgent}'s duty cycle, in data-flow order, and who does each step:
 * <ol>
 *     <li>sequenced events: the {@code EventSequencer} is polled; {@code FrameAssembler} turns each record into its
 *     frame, appended once to the topic's log ({@code TopicState}, found in the {@code TopicRegistry}) and once to
 *     each {@code SharedStream} its topics feed (streams of several topics or selectors, kept by the
 *     {@code StreamRegistry}, their logs drawn from {@code StreamLogs}' own budget with a share per client, filled
 *     from history by {@code StreamFill} once linked), and answers the HTTP publisher waiting for it; publishers'
 *     pipelined requests are then read on; a topic first seen is matched against the {@code SelectorIndex}, and the
 *     cycle stops taking events once such matching took its budget;</li>
 *     <li>fan-out: {@code SubscriberFlusher} writes {@code log[cursor..head]} to every subscriber of the topics and
 *     shared streams ({@code StreamSource}s) that grew, in one write each, through {@code ResponseWriter};</li>
 *     <li>the selector: {@code ConnectionAcceptor} accepts (with {@code ClientAdmission}: connection and
 *     per-address limits, trusted proxies); {@code RequestReader} reads and parses ({@code RequestParserPool},
 *     {@code BufferPool} for large bodies); {@code RequestRouter} decides each request and hands it to
 *     {@code SubscribeHandler} (authorization, replay, the stream's head; one topic, several, or Mercure selectors),
 *     {@code MercurePublishHandler} (Mercure's form publish) or {@code HttpPublishHandler} (token,
 *     {@code PublishOrigins}, size, then the record written into the sequencer's claimed space);
 *     {@code ResponseWriter} answers ({@code ResponseHeaders}) and resumes blocked writes;</li>
 *     <li>disconnect requests from {@code Topic#disconnectSubscribers()}: streams ended after whole frames;</li>
 *     <li>{@code ConnectionTimers}: streams that did not drain a backlog in time dropped as slow consumers, streams
 *     whose credentials expired ended after whole frames, heartbeats, request and linger timeouts, the sweep of idle
 *     topics;</li>
 *     <li>{@code LinkHolds}: new shared streams linked to the live topics in a budgeted slice, their held
 *     subscribers started once linked;</li>
 *     <li>on close, {@code ShutdownDrain}: stop accepting, let what is sequenced be written, then close.</li>
 * </ol>
 * The collaborators share one {@code AgentContext} (the concluded {@code ServerConfig}, topics, counters, sequencer,
 * connections, clock). {@code Connection} is one client's state, kept in the {@code ConnectionTable}; {@code ServerCounters} holds the
 * counters the public {@code ServerMetrics} reads; {@code FailStopAgent} makes any error escaping the duty cycle
 * stop the server; publisher threads use {@code PublishEncoder} to write their records.
 * <p>
 * Several agents ({@code ServerConfig#agents()} above 1): each is this duty cycle on its own thread and selector, with
 * its own {@code AgentContext}, topics (their logs: a full copy of the history each), counters and connections. Its
 * {@code EventSequencer} is a {@code fanout.FanOutSequencer}: claims go to one shared ingress, and the one sequencer
 * thread ({@code cluster.StateMachineSequencer}) decides seq, ids and duplicates once, by topic name, into a
 * {@code fanout.SequencedLog} every agent reads at its own position. Agent 0 accepts and shares connections out
 * ({@code ConnectionHandoff}: by address hash, in turn for trusted proxies); the connection total and the
 * per-address counts ({@code AddressCounts}) are shared; {@code /metrics} sums the agents' counters; the agents drain
 * and fail as one.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package; {@code ServerRuntime} is public only
 * for {@code SseServer} and the hub, in the same module.
 */
package io.sseflow.server.agent;
