/**
 * The embeddable Server-Sent Events server and the standalone hub.
 * <p>
 * Exported: the embedding API ({@link io.sseflow.server}), the sequencer SPI ({@link io.sseflow.server.sequencer})
 * and the topic selectors the API's authorization answers are made of ({@link io.sseflow.server.selector}).
 * Everything else is internal to this module: the server agent, HTTP parsing, selector polling, the frame logs, the
 * Mercure request forms, the hub, its JWT support and the clustered sequencer.
 * <p>
 * Aeron Cluster (the clustered sequencer) and nimbus-jose-jwt (the hub's JWT authorization) are optional: an
 * application embedding the in-memory server runs with neither on its module path.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.sseflow.server
{
    requires transitive io.sseflow.encoder;
    requires transitive org.agrona;
    requires java.management;
    requires java.logging;
    requires jdk.management;

    requires static io.aeron.client;
    requires static io.aeron.driver;
    requires static io.aeron.archive;
    requires static io.aeron.cluster;
    requires static com.nimbusds.jose.jwt;

    exports io.sseflow.server;
    exports io.sseflow.server.sequencer;
    exports io.sseflow.server.selector;
}
