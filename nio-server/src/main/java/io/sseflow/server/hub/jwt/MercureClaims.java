package io.sseflow.server.hub.jwt;

import java.util.List;

/**
 * What a verified token grants, from its {@code mercure} claim: the topic selectors its bearer may publish to and
 * subscribe to (an absent or {@code null} array is empty), when it expires, and {@code mercure.payload} as JSON
 * text (shown in the bearer's presence updates).
 */
public final class MercureClaims
{
    /**
     * {@link #expiresAtEpochSecond()} of a token without {@code exp}.
     */
    public static final long NEVER = Long.MAX_VALUE;

    private final List<String> publish;
    private final List<String> subscribe;
    private final long expiresAtEpochSecond;
    private final String payloadJson;
    private final AuthorizationDetails details;

    MercureClaims(final List<String> publish, final List<String> subscribe, final long expiresAtEpochSecond)
    {
        this(publish, subscribe, expiresAtEpochSecond, null);
    }

    MercureClaims(
        final List<String> publish, final List<String> subscribe, final long expiresAtEpochSecond,
        final String payloadJson)
    {
        this(publish, subscribe, expiresAtEpochSecond, payloadJson, null);
    }

    private MercureClaims(
        final List<String> publish, final List<String> subscribe, final long expiresAtEpochSecond,
        final String payloadJson, final AuthorizationDetails details)
    {
        this.publish = List.copyOf(publish);
        this.subscribe = List.copyOf(subscribe);
        this.expiresAtEpochSecond = expiresAtEpochSecond;
        this.payloadJson = payloadJson;
        this.details = details;
    }

    /**
     * The claims of a Mercure 1.0 access token: its grants are its {@code authorization_details}
     * ({@link #publish()} and {@link #subscribe()} are empty).
     */
    static MercureClaims ofAccessToken(final AuthorizationDetails details, final long expiresAtEpochSecond)
    {
        return new MercureClaims(List.of(), List.of(), expiresAtEpochSecond, null, details);
    }

    /**
     * The grants of a Mercure 1.0 access token.
     *
     * @return its authorization details, or null for a pre-standardization token.
     */
    AuthorizationDetails authorizationDetails()
    {
        return details;
    }

    /**
     * Is this a Mercure 1.0 access token's ({@code typ: at+jwt})?
     *
     * @return true for one.
     */
    public boolean isAccessToken()
    {
        return null != details;
    }

    /**
     * The token's {@code mercure.payload}, serialized again as JSON.
     *
     * @return the JSON text, or null when the claim has no payload (or a null one).
     */
    public String payloadJson()
    {
        return payloadJson;
    }

    /**
     * Selectors of the topics the bearer may publish to ({@code mercure.publish}), in token order.
     *
     * @return the selectors, empty when none; unmodifiable.
     */
    public List<String> publish()
    {
        return publish;
    }

    /**
     * Selectors of the topics whose private updates the bearer may receive ({@code mercure.subscribe}), in token
     * order.
     *
     * @return the selectors, empty when none; unmodifiable.
     */
    public List<String> subscribe()
    {
        return subscribe;
    }

    /**
     * The token's {@code exp}, rounded down to a whole second.
     *
     * @return seconds since the epoch, or {@link #NEVER} when the token has no {@code exp}.
     */
    public long expiresAtEpochSecond()
    {
        return expiresAtEpochSecond;
    }

    /**
     * Same selectors, in the same order, and the same expiry?
     *
     * @param other another object.
     * @return true when equal.
     */
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof MercureClaims))
        {
            return false;
        }
        final MercureClaims that = (MercureClaims)other;
        return expiresAtEpochSecond == that.expiresAtEpochSecond && publish.equals(that.publish) &&
            subscribe.equals(that.subscribe) && isAccessToken() == that.isAccessToken() &&
            (!isAccessToken() || (details.publish().equals(that.details.publish()) &&
            details.subscribe().equals(that.details.subscribe())));
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        return (publish.hashCode() * 31 + subscribe.hashCode()) * 31 + Long.hashCode(expiresAtEpochSecond);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "MercureClaims{publish=" + (isAccessToken() ? details.publish() : publish) +
            ", subscribe=" + (isAccessToken() ? details.subscribe() : subscribe) + (isAccessToken() ? ", at+jwt" : "") +
            (NEVER == expiresAtEpochSecond ? "" : ", exp=" + expiresAtEpochSecond) + "}";
    }
}
