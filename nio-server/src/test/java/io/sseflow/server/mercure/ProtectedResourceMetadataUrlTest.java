package io.sseflow.server.mercure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The {@code resource_metadata} URL a challenge names: the resource identifier's origin (scheme lower-cased, host
 * and port as given) followed by the path the hub serves the document at; none for an identifier that is not an
 * absolute {@code http(s)} URL with a host.
 */
class ProtectedResourceMetadataUrlTest
{
    @ParameterizedTest
    @CsvSource({
        "https://hub.example.com/.well-known/mercure, https://hub.example.com",
        "HTTPS://hub.example.com:8443/.well-known/mercure, https://hub.example.com:8443",
        "http://127.0.0.1:3000/.well-known/mercure?x=1#f, http://127.0.0.1:3000",
        "https://[::1]/hub/.well-known/mercure, https://[::1]",
        "https://hub.example.com, https://hub.example.com",
    })
    void shouldNameTheIdentifiersOriginAndTheMetadataPath(final String resource, final String origin)
    {
        assertEquals(origin + "/.well-known/oauth-protected-resource/.well-known/mercure",
            ProtectedResourceMetadata.url(resource));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "urn:example:hub", "my-hub", "/.well-known/mercure", "ftp://hub.example.com/.well-known/mercure",
        "https://user:pw@hub.example.com/.well-known/mercure", "https://hub.example.com/a b", "https://hüb.example/",
    })
    void shouldNameNoneForAnIdentifierThatIsNoHttpUrl(final String resource)
    {
        assertNull(ProtectedResourceMetadata.url(resource));
    }
}
