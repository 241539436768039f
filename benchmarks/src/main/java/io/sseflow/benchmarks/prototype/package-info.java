/**
 * Experiments for the encoder's owner, set apart from the contenders: JMH benchmarks that prototyped a change
 * before it went into the encoder, kept so the measurement can be repeated. Not run by {@code run-all.sh} and not
 * in RESULTS.md. {@link io.sseflow.benchmarks.prototype.TextLinesPrototypeBenchmark} prototyped copying a
 * {@code String}'s chars out in bulk and framing text data lines in one pass (now the encoder's
 * {@code DataLinesStaging}); {@link io.sseflow.benchmarks.prototype.JsonFramingPrototypeBenchmark} measured
 * where the framing cost of a JSON event goes (dsl-json's body alone, the copy into a direct buffer, a writer
 * specialised for JSON with a numeric id) against the encoder.
 */
package io.sseflow.benchmarks.prototype;
