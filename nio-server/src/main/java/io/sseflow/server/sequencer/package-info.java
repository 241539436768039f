/**
 * Where events come from and who orders them: the {@link io.sseflow.server.sequencer.EventSequencer} SPI that
 * orders publishes and decides each event's hub sequence and id (an in-memory ring by default), publishers
 * claiming its space ({@link io.sseflow.server.sequencer.PublishClaim}) and encoding the
 * {@link io.sseflow.server.sequencer.PublishRecord} flyweight in place, and the
 * {@link io.sseflow.server.sequencer.SequencedEventHandler} that receives each sequenced record. No socket, no HTTP.
 * <p>
 * Exported by the module {@code io.sseflow.server}: the SPI a sequencer implementation is written against.
 */
package io.sseflow.server.sequencer;
