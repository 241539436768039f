/**
 * HTTP/1.1 for the server: an incremental request-head parser and a chunked-body decoder written as state
 * machines, query decoding and response writers over pre-computed byte constants. Internal to the server.
 */
package io.sseflow.server.http;
