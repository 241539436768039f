/**
 * Allocation-free selector polling in the manner of Agrona's {@code TransportPoller} and Aeron's
 * {@code DataTransportPoller}.
 */
package io.sseflow.server.transport;
