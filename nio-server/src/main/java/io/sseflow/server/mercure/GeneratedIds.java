package io.sseflow.server.mercure;

import org.agrona.MutableDirectBuffer;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Ids for updates published without one: {@code urn:uuid:} and a random (version 4, RFC 9562) UUID in lower-case
 * hex, written straight into a buffer, so generating one allocates nothing. The 122 random bits come from a
 * {@link SplittableRandom} seeded once from {@link SecureRandom}: unique for every practical purpose, but not
 * secret (an id is not a credential). Not thread-safe: one per thread.
 */
public final class GeneratedIds
{
    /**
     * Bytes of every generated id: {@code urn:uuid:} and 36 characters.
     */
    public static final int LENGTH = MercurePublish.GENERATED_ID_PREFIX.length() + 36;

    private static final byte[] PREFIX = MercurePublish.GENERATED_ID_PREFIX.getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SplittableRandom random;

    /**
     * A generator seeded from {@link SecureRandom}.
     */
    public GeneratedIds()
    {
        random = new SplittableRandom(new SecureRandom().nextLong());
    }

    /**
     * Write a new id.
     *
     * @param buffer to write into.
     * @param index  at which to write.
     * @return {@link #LENGTH}.
     */
    public int put(final MutableDirectBuffer buffer, final int index)
    {
        final long high = (random.nextLong() & 0xFFFF_FFFF_FFFF_0FFFL) | 0x0000_0000_0000_4000L;
        final long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        buffer.putBytes(index, PREFIX);
        int at = index + PREFIX.length;
        at = putHex(buffer, at, high >>> 32, 8);
        buffer.putByte(at++, (byte)'-');
        at = putHex(buffer, at, high >>> 16, 4);
        buffer.putByte(at++, (byte)'-');
        at = putHex(buffer, at, high, 4);
        buffer.putByte(at++, (byte)'-');
        at = putHex(buffer, at, low >>> 48, 4);
        buffer.putByte(at++, (byte)'-');
        at = putHex(buffer, at, low, 12);
        return at - index;
    }

    private static int putHex(final MutableDirectBuffer buffer, final int index, final long value, final int digits)
    {
        for (int i = 0; i < digits; i++)
        {
            buffer.putByte(index + i, HEX[(int)(value >>> (4 * (digits - 1 - i))) & 0xF]);
        }
        return index + digits;
    }
}
