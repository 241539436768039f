/**
 * The standalone hub: command-line flags, the {@code main}, and the demo page resource.
 */
package io.sseflow.server.hub;
