package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The header line of each refusal: with a metadata URL every {@code Bearer} challenge names it
 * ({@code resource_metadata}, RFC 9728 section 5.1), the bare one as its only parameter, the others after theirs;
 * other lines, and every line without a URL, are the refusal's own.
 */
class RefusalHeadersTest
{
    private static final String URL = "https://hub.example.com/.well-known/oauth-protected-resource/.well-known/mercure";

    @Test
    void shouldNameTheMetadataInEveryBearerChallenge()
    {
        final RefusalHeaders headers = new RefusalHeaders(URL);
        assertEquals("WWW-Authenticate: Bearer resource_metadata=\"" + URL + "\"\r\n", line(headers, Refusal.JWT_MISSING));
        assertEquals("WWW-Authenticate: Bearer resource_metadata=\"" + URL + "\"\r\n", line(headers, Refusal.UNAUTHORIZED));
        assertEquals("WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token expired\", " +
            "resource_metadata=\"" + URL + "\"\r\n", line(headers, Refusal.JWT_EXPIRED));
        assertEquals("WWW-Authenticate: Bearer error=\"insufficient_scope\", resource_metadata=\"" + URL + "\"\r\n",
            line(headers, Refusal.JWT_FORBIDDEN));
        assertEquals("Retry-After: 1\r\n", line(headers, Refusal.BACK_PRESSURED));
        assertNull(headers.of(Refusal.TOO_LARGE));
    }

    @Test
    void shouldBeTheRefusalsOwnLinesWithoutAMetadataUrl()
    {
        final RefusalHeaders headers = new RefusalHeaders(null);
        for (final Refusal refusal : Refusal.values())
        {
            assertArrayEquals(ResponseHeaders.of(refusal), headers.of(refusal), refusal.label());
        }
        assertEquals("WWW-Authenticate: Bearer\r\n", line(headers, Refusal.JWT_MISSING));
    }

    private static String line(final RefusalHeaders headers, final Refusal refusal)
    {
        return new String(headers.of(refusal), StandardCharsets.US_ASCII);
    }
}
