/**
 * HTTP/1.1 for the server: an incremental request parser written as a state machine, query decoding and
 * response writers over pre-computed byte constants. Internal to the server.
 */
package io.sseflow.server.http;
