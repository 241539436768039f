package io.sseflow.server.http;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code Idempotency-Key} request header of a publish, and the id it stands for. A key is 1 to
 * {@link #MAX_LENGTH} visible ASCII characters (0x21 to 0x7E, no {@code "} or {@code \}), bare or in double quotes
 * (the IETF draft's structured-field string; the quotes are not part of the key). A publish with a key and no id gets
 * the id {@code urn:uuid:} and a name-based (version 5, RFC 9562 §5.5) UUID of the key in {@link #NAMESPACE}: the same
 * key gives the same id on every node and every retry, so the retained-id rule answers a retry {@code 200} without a
 * second event. The key is the publisher's identity too: the hub has none more stable (tokens expire and are
 * replaced), so publishers of the same topics must not share keys (use a random UUID per update).
 * <p>
 * Not thread-safe: one per thread; allocates nothing once built.
 */
public final class IdempotencyKey
{
    /**
     * Longest key, in characters, without quotes.
     */
    public static final int MAX_LENGTH = 128;

    /**
     * What a valid key is, as the refusal says it.
     */
    public static final String RULE = "Idempotency-Key must be 1 to 128 visible ASCII characters (no \" or \\), " +
        "optionally in double quotes, and given once";

    /**
     * Bytes of every id derived from a key: {@code urn:uuid:} and 36 characters.
     */
    public static final int ID_LENGTH = 45;

    /**
     * The namespace UUID of sseflow's key-derived ids.
     */
    public static final String NAMESPACE = "5c0e5f1a-7d0b-4e8e-9a55-33f1e4b7a0c9";

    /**
     * What {@link #validate} returns for a bad key.
     */
    public static final int INVALID = -1;

    private static final byte[] PREFIX = "urn:uuid:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAMESPACE_BYTES = uuidBytes(NAMESPACE);

    private final MessageDigest sha1;
    private final byte[] input = new byte[NAMESPACE_BYTES.length + MAX_LENGTH];
    private final byte[] hash = new byte[20];

    /**
     * A deriver with its own digest.
     */
    public IdempotencyKey()
    {
        try
        {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required of every JVM", ex);
        }
        System.arraycopy(NAMESPACE_BYTES, 0, input, 0, NAMESPACE_BYTES.length);
    }

    /**
     * Check a header value and find the key in it.
     *
     * @param buffer holding the value, trimmed of optional whitespace.
     * @param offset where it starts.
     * @param length its length.
     * @return the key's offset (past an opening quote), or {@link #INVALID}.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        int start = offset;
        int end = offset + length;
        if (length >= 2 && buffer.getByte(start) == '"' && buffer.getByte(end - 1) == '"')
        {
            start++;
            end--;
        }
        if (end - start < 1 || end - start > MAX_LENGTH)
        {
            return INVALID;
        }
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b < 0x21 || b > 0x7E || b == '"' || b == '\\')
            {
                return INVALID;
            }
        }
        return start;
    }

    /**
     * Length of the key in a value that {@link #validate} accepted.
     *
     * @param keyOffset   what {@link #validate} returned.
     * @param valueOffset the value's offset.
     * @param valueLength the value's length.
     * @return the key's length, quotes excluded.
     */
    public static int keyLength(final int keyOffset, final int valueOffset, final int valueLength)
    {
        return keyOffset == valueOffset ? valueLength : valueLength - 2;
    }

    /**
     * Write the id a key stands for: {@code urn:uuid:} and the version 5 UUID of the key's bytes in
     * {@link #NAMESPACE}, lower-case.
     *
     * @param key       holding the key.
     * @param keyOffset where it starts.
     * @param keyLength its length, 1 to {@link #MAX_LENGTH}.
     * @param out       to write the id into.
     * @param outOffset where to write.
     * @return {@link #ID_LENGTH}.
     */
    public int putId(
        final DirectBuffer key, final int keyOffset, final int keyLength, final MutableDirectBuffer out, final int outOffset)
    {
        key.getBytes(keyOffset, input, NAMESPACE_BYTES.length, keyLength);
        sha1.reset();
        sha1.update(input, 0, NAMESPACE_BYTES.length + keyLength);
        try
        {
            sha1.digest(hash, 0, hash.length);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        out.putBytes(outOffset, PREFIX);
        int at = outOffset + PREFIX.length;
        for (int i = 0; i < 16; i++)
        {
            if (4 == i || 6 == i || 8 == i || 10 == i)
            {
                out.putByte(at++, (byte)'-');
            }
            out.putByte(at++, HEX[(hash[i] >>> 4) & 0xF]);
            out.putByte(at++, HEX[hash[i] & 0xF]);
        }
        return at - outOffset;
    }

    private static byte[] uuidBytes(final String uuid)
    {
        final java.util.UUID value = java.util.UUID.fromString(uuid);
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(value.getMostSignificantBits() >>> (8 * (7 - i)));
            bytes[8 + i] = (byte)(value.getLeastSignificantBits() >>> (8 * (7 - i)));
        }
        return bytes;
    }
}
