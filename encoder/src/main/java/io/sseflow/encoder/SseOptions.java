package io.sseflow.encoder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * Immutable {@code retry}, {@code event} and {@code id} options of an event, validated and encoded to their
 * field bytes once, when built. Any of the three may be absent.
 * <pre>{@code
 * SseOptions opts = SseOptions.builder().retry(300).event("event-name").id(10).build();
 * // pre-encoded: "retry: 300\nevent: event-name\nid: 10\n"
 * }</pre>
 * Options given to {@link Sse} apply to every event; options given to one write override them field by field
 * ({@link #retryField(SseOptions, SseOptions)} and friends pick the field bytes to use).
 */
public final class SseOptions
{
    private static final byte[] ABSENT = new byte[0];

    /** No options: a frame of {@code data:} lines only. */
    public static final SseOptions NONE = new SseOptions(false, 0, null, null);

    private final boolean hasRetry;
    private final long retry;
    private final String event;
    private final String id;
    private final byte[] retryField;
    private final byte[] eventField;
    private final byte[] idField;
    private final byte[] headFieldsWithoutId;

    private SseOptions(final boolean hasRetry, final long retry, final String event, final String id)
    {
        this.hasRetry = hasRetry;
        this.retry = retry;
        this.event = event;
        this.id = id;
        this.retryField = hasRetry ? encodeRetry(retry) : ABSENT;
        this.eventField = null != event ? encodeText(event, true) : ABSENT;
        this.idField = null != id ? encodeText(id, false) : ABSENT;
        this.headFieldsWithoutId = concat(retryField, eventField);
    }

    /**
     * Start building options.
     *
     * @return a new builder with nothing set.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Options with only an event type, for the common case of pre-built event names.
     *
     * @param name the event type, free of CR and LF.
     * @return the options.
     * @throws IllegalArgumentException if the name contains CR or LF.
     */
    public static SseOptions event(final String name)
    {
        return builder().event(name).build();
    }

    /**
     * Is a reconnection time set?
     *
     * @return true when {@code retry} is written.
     */
    public boolean hasRetry()
    {
        return hasRetry;
    }

    /**
     * Reconnection time in milliseconds, meaningful when {@link #hasRetry()}.
     *
     * @return the retry value.
     */
    public long retry()
    {
        return retry;
    }

    /**
     * Is an event type set?
     *
     * @return true when {@code event} is written.
     */
    public boolean hasEvent()
    {
        return null != event;
    }

    /**
     * The event type, or null.
     *
     * @return the event type.
     */
    public String event()
    {
        return event;
    }

    /**
     * Is an id set?
     *
     * @return true when {@code id} is written.
     */
    public boolean hasId()
    {
        return null != id;
    }

    /**
     * The id as text, or null.
     *
     * @return the id.
     */
    public String id()
    {
        return id;
    }

    /**
     * Total length of the pre-encoded fields.
     *
     * @return bytes of {@code retry}, {@code event} and {@code id} fields together.
     */
    public int encodedLength()
    {
        return retryField.length + eventField.length + idField.length;
    }

    /**
     * Write the pre-encoded fields ({@code retry}, {@code event}, {@code id}, in that order, those that are set)
     * at an index, for code that assembles frames itself. Check {@link #encodedLength()} fits first.
     *
     * @param buffer to write to.
     * @param index  at which to start.
     * @return bytes written, {@link #encodedLength()}.
     */
    public int putFields(final MutableDirectBuffer buffer, final int index)
    {
        int position = index;
        buffer.putBytes(position, retryField);
        position += retryField.length;
        buffer.putBytes(position, eventField);
        position += eventField.length;
        buffer.putBytes(position, idField);
        position += idField.length;
        return position - index;
    }

    static byte[] retryField(final SseOptions defaults, final SseOptions overrides)
    {
        return overrides.hasRetry ? overrides.retryField : defaults.retryField;
    }

    static byte[] eventField(final SseOptions defaults, final SseOptions overrides)
    {
        return null != overrides.event ? overrides.eventField : defaults.eventField;
    }

    static byte[] idField(final SseOptions defaults, final SseOptions overrides)
    {
        return null != overrides.id ? overrides.idField : defaults.idField;
    }

    byte[] headFieldsWithoutId()
    {
        return headFieldsWithoutId;
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        if (first.length + second.length == 0)
        {
            return ABSENT;
        }
        final byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] encodeRetry(final long retry)
    {
        final byte[] bytes = new byte[SseFields.retryFieldLength(retry)];
        SseFields.putRetryField(new UnsafeBuffer(bytes), 0, retry);
        return bytes;
    }

    private static byte[] encodeText(final String value, final boolean isEvent)
    {
        final int length = isEvent ? SseFields.eventFieldLength(value) : SseFields.idFieldLength(value);
        final byte[] bytes = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (isEvent)
        {
            SseFields.putEventField(buffer, 0, value);
        }
        else
        {
            SseFields.putIdField(buffer, 0, value);
        }
        return bytes;
    }

    /**
     * Field-wise description, as in {@code SseOptions{retry=300, event=name, id=10}}.
     *
     * @return the description.
     */
    public String toString()
    {
        return "SseOptions{" +
            (hasRetry ? "retry=" + retry : "") +
            (null != event ? (hasRetry ? ", " : "") + "event=" + event : "") +
            (null != id ? (hasRetry || null != event ? ", " : "") + "id=" + id : "") +
            "}";
    }

    /**
     * Options are equal when the same fields are set to the same values.
     *
     * @param other to compare with.
     * @return true when equal.
     */
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof SseOptions))
        {
            return false;
        }
        final SseOptions that = (SseOptions)other;
        return hasRetry == that.hasRetry && retry == that.retry &&
            Objects.equals(event, that.event) && Objects.equals(id, that.id);
    }

    /**
     * Hash of the set fields.
     *
     * @return the hash code.
     */
    public int hashCode()
    {
        return Objects.hash(hasRetry, retry, event, id);
    }

    /**
     * Builds {@link SseOptions}; every setter validates at once and throws {@link IllegalArgumentException}
     * naming the problem.
     */
    public static final class Builder
    {
        private boolean hasRetry;
        private long retry;
        private String event;
        private String id;

        private Builder()
        {
        }

        /**
         * Reconnection time the client should wait after the stream ends: {@code retry: N}.
         *
         * @param retryMs milliseconds, 0 to {@link Integer#MAX_VALUE}.
         * @return this builder.
         * @throws IllegalArgumentException if negative or too large.
         */
        public Builder retry(final long retryMs)
        {
            SseFields.checkRetry(retryMs);
            this.hasRetry = true;
            this.retry = retryMs;
            return this;
        }

        /**
         * Event type: {@code event: NAME}; clients dispatch it to listeners of that name.
         *
         * @param name the event type, free of CR and LF.
         * @return this builder.
         * @throws IllegalArgumentException if null or containing CR or LF.
         */
        public Builder event(final String name)
        {
            SseFields.checkEventName(name);
            this.event = name;
            return this;
        }

        /**
         * Numeric event id: {@code id: N}.
         *
         * @param id the id.
         * @return this builder.
         */
        public Builder id(final long id)
        {
            this.id = Long.toString(id);
            return this;
        }

        /**
         * Text event id: {@code id: ID}; clients send the last one back as {@code Last-Event-ID}.
         *
         * @param id the id, free of CR, LF and NUL; empty resets the client's last event id.
         * @return this builder.
         * @throws IllegalArgumentException if null or containing CR, LF or NUL.
         */
        public Builder id(final String id)
        {
            SseFields.checkId(id);
            this.id = id;
            return this;
        }

        /**
         * Validate nothing more (each setter already did) and pre-encode the fields.
         *
         * @return immutable options.
         */
        public SseOptions build()
        {
            return new SseOptions(hasRetry, retry, event, id);
        }
    }
}
