/**
 * HTTP/1.1 for the server: an incremental request-head parser and a chunked-body decoder written as state
 * machines, query decoding and response writers over pre-computed byte constants.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package.
 */
package io.sseflow.server.http;
