package io.sseflow.server.http;

import java.nio.charset.StandardCharsets;

/**
 * The response field that tells a resuming subscriber where its stream resumes, or none: Mercure's
 * pre-standardization protocol answers {@code Last-Event-ID}, Mercure 1.0 (the draft) {@code Mercure-Last-Event-ID}
 * ({@code Last-Event-ID}'s registration defines request semantics only). Each carries the bytes written for it,
 * computed once.
 */
public enum LastEventIdField
{
    /**
     * No field: the request did not ask to resume.
     */
    NONE(""),

    /**
     * {@code Last-Event-ID}, Mercure's pre-standardization name.
     */
    LAST_EVENT_ID("Last-Event-ID"),

    /**
     * {@code Mercure-Last-Event-ID}, Mercure 1.0's name.
     */
    MERCURE_LAST_EVENT_ID("Mercure-Last-Event-ID");

    private final byte[] nameColonSpace;
    private final byte[] exposeHeader;

    LastEventIdField(final String name)
    {
        nameColonSpace = (name + ": ").getBytes(StandardCharsets.US_ASCII);
        exposeHeader = ("Access-Control-Expose-Headers: " + name + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] nameColonSpace()
    {
        return nameColonSpace;
    }

    byte[] exposeHeader()
    {
        return exposeHeader;
    }
}
