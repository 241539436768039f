package io.sseflow.server.selector;

/**
 * A URL pattern that is malformed, or uses what {@link UrlPattern} cannot match; the message says which.
 */
public final class UrlPatternException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, without the pattern.
     */
    public UrlPatternException(final String message)
    {
        super(message);
    }
}
