package io.sseflow.server;

import io.sseflow.server.selector.SelectorSet;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * An authorizer's answer to a request: allowed, possibly within a {@link TopicGrant}, or refused with the
 * {@link Refusal} the server answers (its status, its header line such as {@code WWW-Authenticate}, its metric
 * label) and a reason sent as the body. Immutable; the common answers are constants, so answering them allocates
 * nothing.
 * <ul>
 * <li>{@link #ALLOW}: go ahead; a subscriber gets public updates only, a publisher may publish to any topic.</li>
 * <li>{@link #granting(TopicGrant)}: go ahead within the grant; a subscriber also gets the {@code private} updates
 * whose topics its {@link TopicGrant#subscribeSelectors()} match, a publisher may publish only to topics its
 * {@link TopicGrant#publishSelectors()} match.</li>
 * <li>{@link #refuse(Refusal)}: answer the refusal, for instance {@link Refusal#JWT_EXPIRED} ({@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token", ...}) or {@link Refusal#JWT_FORBIDDEN} ({@code 403}).</li>
 * </ul>
 * An allowed answer may also say when its credentials expire ({@link #expiringAt(long)}: a stream it allows ends,
 * after whole frames, at that instant, and its client reconnects with {@code Last-Event-ID} and fresh credentials)
 * and that they came in the request's URL ({@link #withCredentialsInUrl()}: the stream's response is marked
 * {@code Cache-Control: private}, as RFC 6750 section 2.3 and Mercure ask).
 */
public final class Authorization
{
    /**
     * Allowed, without a grant: public updates only for a subscriber; any topic for a publisher.
     */
    public static final Authorization ALLOW = new Authorization(null, null, null);

    /**
     * {@link #expiresAtEpochMillis()} of an answer whose credentials do not expire.
     */
    public static final long NEVER_EXPIRES = Long.MAX_VALUE;

    private static final int MAX_REASON_LENGTH = 256;
    private static final Map<Refusal, Authorization> REFUSALS = new EnumMap<>(Refusal.class);
    private static final Authorization UNAUTHORIZED_SUBSCRIBE =
        new Authorization(null, Refusal.UNAUTHORIZED, "not authorized to subscribe");
    private static final Authorization FORBIDDEN_SUBSCRIBE =
        new Authorization(null, Refusal.FORBIDDEN, "not allowed to subscribe to this topic");

    static
    {
        for (final Refusal refusal : Refusal.VALUES)
        {
            REFUSALS.put(refusal, new Authorization(null, refusal, refusal.message()));
        }
    }

    private final TopicGrant grant;
    private final Refusal refusal;
    private final String reason;
    private final long expiresAtEpochMillis;
    private final boolean credentialsInUrl;
    private final String payloadJson;

    private Authorization(final TopicGrant grant, final Refusal refusal, final String reason)
    {
        this(grant, refusal, reason, NEVER_EXPIRES, false, null);
    }

    private Authorization(
        final TopicGrant grant,
        final Refusal refusal,
        final String reason,
        final long expiresAtEpochMillis,
        final boolean credentialsInUrl,
        final String payloadJson)
    {
        this.grant = grant;
        this.refusal = refusal;
        this.reason = reason;
        this.expiresAtEpochMillis = expiresAtEpochMillis;
        this.credentialsInUrl = credentialsInUrl;
        this.payloadJson = payloadJson;
    }

    /**
     * Allowed within a grant.
     *
     * @param grant what the bearer may publish to and whose private updates it receives.
     * @return the answer.
     */
    public static Authorization granting(final TopicGrant grant)
    {
        return new Authorization(Objects.requireNonNull(grant, "grant"), null, null);
    }

    /**
     * Refused, with the refusal's own reason ({@link Refusal#message()}) as the body. Allocation-free.
     *
     * @param refusal what to answer.
     * @return the answer.
     */
    public static Authorization refuse(final Refusal refusal)
    {
        return REFUSALS.get(Objects.requireNonNull(refusal, "refusal"));
    }

    /**
     * Refused with a reason of your own.
     *
     * @param refusal what to answer: its status, header line and metric label.
     * @param reason  sent as the body: 1..256 printable ASCII characters.
     * @return the answer.
     * @throws IllegalArgumentException when the reason is empty, longer, or not printable ASCII.
     */
    public static Authorization refuse(final Refusal refusal, final String reason)
    {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(reason, "reason");
        if (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH)
        {
            throw new IllegalArgumentException("a refusal's reason must have 1.." + MAX_REASON_LENGTH +
                " characters, this one has " + reason.length());
        }
        for (int i = 0; i < reason.length(); i++)
        {
            final char c = reason.charAt(i);
            if (c < ' ' || c > '~')
            {
                throw new IllegalArgumentException("a refusal's reason must be printable ASCII (no CR, LF or " +
                    "control character), found U+" + String.format("%04X", (int)c) + " at " + i);
            }
        }
        return new Authorization(null, refusal, reason);
    }

    /**
     * The same answer for credentials that expire at an instant (a token's {@code exp}): a stream it allows ends
     * after its whole frames at that instant, by the server's clock. A refusal is returned unchanged.
     *
     * @param epochMillis milliseconds since the epoch; {@link #NEVER_EXPIRES} for never.
     * @return the answer.
     */
    public Authorization expiringAt(final long epochMillis)
    {
        if (!isAllowed() || epochMillis == expiresAtEpochMillis)
        {
            return this;
        }
        return new Authorization(grant, null, null, epochMillis, credentialsInUrl, payloadJson);
    }

    /**
     * The same answer for credentials the request carried in its URL (a query parameter such as Mercure's
     * {@code authorization} or RFC 6750's {@code access_token}): the stream's response then carries
     * {@code Cache-Control: private, no-cache}, so that no shared cache keeps a response to a URL holding a
     * credential. A refusal is returned unchanged.
     *
     * @return the answer.
     */
    public Authorization withCredentialsInUrl()
    {
        if (!isAllowed() || credentialsInUrl)
        {
            return this;
        }
        return new Authorization(grant, null, null, expiresAtEpochMillis, true, payloadJson);
    }

    /**
     * The same answer carrying what the subscriber's credentials say about it (a JWT's {@code mercure.payload}),
     * which the hub shows in the subscription's presence updates ({@code --subscriptions}). A refusal is returned
     * unchanged.
     *
     * @param payloadJson the payload as JSON text, or null for none.
     * @return the answer.
     */
    public Authorization withPayload(final String payloadJson)
    {
        if (!isAllowed() || null == payloadJson)
        {
            return this;
        }
        return new Authorization(grant, null, null, expiresAtEpochMillis, credentialsInUrl, payloadJson);
    }

    /**
     * What the subscriber's credentials say about it, shown in its presence updates.
     *
     * @return the payload as JSON text, or null for none.
     */
    public String payloadJson()
    {
        return payloadJson;
    }

    /**
     * When the credentials of an allowed answer expire.
     *
     * @return milliseconds since the epoch, or {@link #NEVER_EXPIRES}.
     */
    public long expiresAtEpochMillis()
    {
        return expiresAtEpochMillis;
    }

    /**
     * Did the request carry its credentials in its URL?
     *
     * @return true when {@link #withCredentialsInUrl()} said so.
     */
    public boolean credentialsInUrl()
    {
        return credentialsInUrl;
    }

    /**
     * The answer a {@link SubscribeAuthorizer.Decision} stands for: {@link #ALLOW}, {@link Refusal#UNAUTHORIZED}
     * ("not authorized to subscribe") or {@link Refusal#FORBIDDEN} ("not allowed to subscribe to this topic").
     *
     * @param decision the decision, or null.
     * @return the answer, or null for a null decision. Allocation-free.
     */
    public static Authorization of(final SubscribeAuthorizer.Decision decision)
    {
        if (null == decision)
        {
            return null;
        }
        switch (decision)
        {
            case ALLOW:
                return ALLOW;

            case UNAUTHORIZED:
                return UNAUTHORIZED_SUBSCRIBE;

            case FORBIDDEN:
            default:
                return FORBIDDEN_SUBSCRIBE;
        }
    }

    /**
     * May the request go ahead?
     *
     * @return true unless refused.
     */
    public boolean isAllowed()
    {
        return null == refusal;
    }

    /**
     * What to answer a refused request.
     *
     * @return the refusal, or null when allowed.
     */
    public Refusal refusal()
    {
        return refusal;
    }

    /**
     * The body of the refusal's answer.
     *
     * @return the reason, or null when allowed.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * The grant an allowed request holds.
     *
     * @return the grant, or null (for {@link #ALLOW} and refusals).
     */
    public TopicGrant grant()
    {
        return grant;
    }

    /**
     * Which {@code private} updates an allowed subscriber receives: those with a topic these selectors match.
     *
     * @return the grant's subscribe selectors, or null for none (public updates only).
     */
    public SelectorSet privateSelectors()
    {
        return null == grant ? null : grant.subscribeSelectors();
    }

    /**
     * May an allowed publisher publish to this topic? Decided per topic when the topics are known only from the
     * body (a Mercure publish); the answer for the other topics is {@link Refusal#JWT_FORBIDDEN}.
     *
     * @param topic a topic.
     * @return true for {@link #ALLOW}, or when the grant's publish selectors match it; false when refused.
     */
    public boolean allowsPublishTo(final CharSequence topic)
    {
        return isAllowed() && (null == grant || grant.mayPublish(topic));
    }

    /**
     * The three-valued decision this answer comes to: {@code ALLOW} when allowed, {@code UNAUTHORIZED} for a
     * {@code 401}, {@code FORBIDDEN} for any other refusal.
     *
     * @return the decision.
     */
    public SubscribeAuthorizer.Decision decision()
    {
        if (isAllowed())
        {
            return SubscribeAuthorizer.Decision.ALLOW;
        }
        return refusal.status() == 401 ? SubscribeAuthorizer.Decision.UNAUTHORIZED : SubscribeAuthorizer.Decision.FORBIDDEN;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        if (!isAllowed())
        {
            return "Authorization{refused " + refusal.label() + ": " + reason + "}";
        }
        return "Authorization{allowed" + (null == grant ? "" : ", " + grant) +
            (NEVER_EXPIRES == expiresAtEpochMillis ? "" : ", expires at " + expiresAtEpochMillis + " ms") +
            (credentialsInUrl ? ", credentials in URL" : "") + "}";
    }
}
