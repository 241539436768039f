package io.sseflow.server.hub.jwt;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.sseflow.server.hub.jwt.TestTokens.CLAIMS;
import static io.sseflow.server.hub.jwt.TestTokens.base64Url;
import static io.sseflow.server.hub.jwt.TestTokens.hs256;
import static io.sseflow.server.hub.jwt.TestTokens.hs256Verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Hostile input for {@link JwtVerifier#verify(String)}: random strings, random edits of a valid token, and deeply
 * nested or huge JSON. Every answer is a named refusal, or the original claims for an edit that left the token's
 * meaning unchanged; nothing throws. Seeded, bounded in count.
 */
class JwtVerifierFuzzTest
{
    private static final int ROUNDS = 20_000;
    private static final String ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}:,\u00e9\u0000";

    @Test
    void shouldAnswerRandomStringsWithARefusal()
    {
        final JwtVerifier verifier = hs256Verifier();
        final Random random = new Random(11);
        for (int round = 0; round < ROUNDS; round++)
        {
            final char[] chars = new char[random.nextInt(200)];
            for (int i = 0; i < chars.length; i++)
            {
                chars[i] = round % 2 == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length())) : (char)random.nextInt(0x10000);
            }
            final String input = new String(chars);
            final JwtVerification verification = verifier.verify(input);
            assertNotNull(verification.refusal(), input);
        }
    }

    @Test
    void shouldAnswerEditsOfAValidTokenWithARefusalOrTheSameClaims()
    {
        final JwtVerifier verifier = hs256Verifier();
        final String token = hs256(CLAIMS);
        final MercureClaims original = verifier.verify(token).claims();
        final Random random = new Random(12);
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final StringBuilder edited = new StringBuilder(token);
            final int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++)
            {
                final int at = random.nextInt(edited.length());
                final char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                switch (random.nextInt(4))
                {
                    case 0:
                        edited.setCharAt(at, c);
                        break;
                    case 1:
                        edited.insert(at, c);
                        break;
                    case 2:
                        edited.deleteCharAt(at);
                        break;
                    default:
                        edited.setLength(at);
                        break;
                }
                if (edited.length() == 0)
                {
                    edited.append(c);
                }
            }
            final JwtVerification verification = verifier.verify(edited.toString());
            if (verification.isValid())
            {
                assertEquals(original, verification.claims(), edited.toString());
            }
            else
            {
                refused++;
            }
        }
        assertEquals(true, refused > ROUNDS * 9 / 10, "refused " + refused);
    }

    @Test
    void shouldRefuseDeeplyNestedJsonWithoutThrowing()
    {
        final JwtVerifier verifier = hs256Verifier();
        final String deep = "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(hs256(deep)).refusal());
        final String deepHeader = "{\"alg\":\"HS256\",\"x\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}";
        assertNotNull(verifier.verify(base64Url(deepHeader) + "." + base64Url(CLAIMS) + ".c2ln").refusal());
    }

    @Test
    void shouldRefuseDuplicateHeaderNamesWithoutThrowing()
    {
        final JwtVerifier verifier = hs256Verifier();
        final String header = "{\"alg\":\"none\",\"alg\":\"HS256\"}";
        final String token = base64Url(header) + "." + base64Url(CLAIMS) + "." +
            hs256(CLAIMS).substring(hs256(CLAIMS).lastIndexOf('.') + 1);
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(token).refusal());
        assertEquals(JwtRefusal.MALFORMED, verifier.verify(
            hs256("{\"mercure\":{\"subscribe\":[\"a\"]},\"mercure\":{\"subscribe\":[\"*\"]}}")).refusal());
    }
}
