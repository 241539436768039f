package io.sseflow.server.agent;

import io.sseflow.server.Refusal;

import io.sseflow.server.http.HttpResponses;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JWT refusals as sent: {@code 401} with {@code WWW-Authenticate: Bearer} for a missing token, with
 * {@code error="invalid_token"} and a description for a bad one (RFC 6750 section 3), {@code 403} with
 * {@code error="insufficient_scope"} for a topic the token does not allow.
 */
class JwtRefusalResponseTest
{
    @Test
    void shouldAnswerAMissingTokenWithABareBearerChallenge()
    {
        assertEquals(
            "HTTP/1.1 401 Unauthorized\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 15\r\n" +
            "Connection: close\r\n" +
            "WWW-Authenticate: Bearer\r\n" +
            "\r\n" +
            "token required\n",
            answer(Refusal.JWT_MISSING));
    }

    @Test
    void shouldAnswerABadTokenWithInvalidTokenAndItsReason()
    {
        assertEquals(
            "HTTP/1.1 401 Unauthorized\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 14\r\n" +
            "Connection: close\r\n" +
            "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token expired\"\r\n" +
            "\r\n" +
            "token expired\n",
            answer(Refusal.JWT_EXPIRED));
        final Refusal[] invalid = {Refusal.JWT_MALFORMED, Refusal.JWT_ALGORITHM_NOT_ALLOWED,
            Refusal.JWT_UNSUPPORTED_HEADER, Refusal.JWT_BAD_SIGNATURE, Refusal.JWT_EXPIRED, Refusal.JWT_NOT_YET_VALID,
            Refusal.JWT_BAD_CLAIMS};
        for (final Refusal refusal : invalid)
        {
            assertEquals(401, refusal.status());
            assertEquals("WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"" + refusal.message() +
                "\"\r\n", new String(ResponseHeaders.of(refusal), StandardCharsets.US_ASCII), refusal.label());
        }
    }

    @Test
    void shouldAnswerATopicTheTokenDoesNotAllowWith403InsufficientScope()
    {
        assertEquals(
            "HTTP/1.1 403 Forbidden\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Length: 32\r\n" +
            "Connection: close\r\n" +
            "WWW-Authenticate: Bearer error=\"insufficient_scope\"\r\n" +
            "\r\n" +
            "token does not allow this topic\n",
            answer(Refusal.JWT_FORBIDDEN));
        assertEquals(Refusal.UNAUTHORIZED, Refusal.ofStatus(401), "parser statuses still map as before");
        assertEquals(Refusal.FORBIDDEN, Refusal.ofStatus(403));
    }

    private static String answer(final Refusal refusal)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = new HttpResponses(null).putError(
            buffer, 0, refusal.status(), refusal.message(), ResponseHeaders.of(refusal));
        return buffer.getStringWithoutLengthAscii(0, length);
    }
}
