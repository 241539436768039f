/**
 * What CI runs after the tests: {@link io.sseflow.benchmarks.ci.EncoderComparison}, a short JMH run of the encoder
 * benchmark that prints the comparison table and fails only when an sseflow encoder case allocates.
 */
package io.sseflow.benchmarks.ci;
