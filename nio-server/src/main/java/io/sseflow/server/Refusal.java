package io.sseflow.server;

/**
 * Every way the server refuses a request or a connection: its HTTP status, its label in
 * {@code sseflow_requests_refused_total{reason="..."}}, the reason sent as the body unless the refusing code
 * gives a more precise one, and the header line the answer always carries, if any. Each is counted by
 * {@link ServerMetrics#refused(Refusal)}; in {@code /metrics} they appear in declaration order.
 */
public enum Refusal
{
    /**
     * Request malformed (by the HTTP parser or the chunked body decoder) or a field invalid (400).
     */
    BAD_REQUEST(400, "bad_request", "bad request", null),

    /**
     * Missing or wrong token, to publish or to subscribe, or the subscribe authorizer said unauthorized (401, with
     * {@code WWW-Authenticate: Bearer}).
     */
    UNAUTHORIZED(401, "unauthorized", "not authorized", "WWW-Authenticate: Bearer"),

    /**
     * Refused by the subscribe authorizer, or a publish from a foreign {@code Origin} while publishing is open
     * (403).
     */
    FORBIDDEN(403, "forbidden", "forbidden", null),

    /**
     * Unknown path (404).
     */
    NOT_FOUND(404, "not_found", "not found", null),

    /**
     * Method not allowed on the path (405); the answer's {@code Allow} line depends on the path.
     */
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "method not allowed", null),

    /**
     * Request not complete within the request timeout, including a publish still waiting for a body buffer (408).
     */
    REQUEST_TIMEOUT(408, "request_timeout", "request not received in time", null),

    /**
     * Never counted since chunked bodies are accepted; kept so that {@code /metrics} shows the same series (411).
     */
    LENGTH_REQUIRED(411, "length_required", "length required", null),

    /**
     * Body or event over the limit, by its {@code Content-Length}, its chunks, or once encoded; or a body sent
     * where none is taken (413).
     */
    TOO_LARGE(413, "too_large", "request body too large", null),

    /**
     * Request line over the limit (414).
     */
    URI_TOO_LONG(414, "uri_too_long", "request line too long", null),

    /**
     * Per-address connection limit, when a connection is accepted or when a request through a trusted proxy names
     * a client over it (429, with {@code Retry-After}).
     */
    ADDRESS_LIMIT(429, "address_connection_limit", "too many connections from this address", "Retry-After: 1"),

    /**
     * Header fields over the size or count limit (431).
     */
    HEADERS_TOO_LARGE(431, "headers_too_large", "request header fields too large", null),

    /**
     * Unknown method, or a transfer coding other than chunked (501).
     */
    NOT_IMPLEMENTED(501, "not_implemented", "method not implemented", null),

    /**
     * Total connection limit (503, with {@code Retry-After}).
     */
    CONNECTION_LIMIT(503, "connection_limit", "too many connections", "Retry-After: 1"),

    /**
     * Topic limit, on subscribe or publish (503).
     */
    TOPIC_LIMIT(503, "topic_limit", "topic limit reached", null),

    /**
     * Publish ring full (503, with {@code Retry-After}).
     */
    BACK_PRESSURED(503, "back_pressured", "publish ring full; retry shortly", "Retry-After: 1"),

    /**
     * Server shutting down: a subscribe or publish after close began (503).
     */
    SHUTTING_DOWN(503, "shutting_down", "server is shutting down", null),

    /**
     * HTTP version other than 1.0 and 1.1, including the HTTP/2 preface (505).
     */
    HTTP_VERSION(505, "http_version", "only HTTP/1.1 and HTTP/1.0 are supported", null),

    /**
     * The subscribe or publish authorizer failed: threw or gave no decision (500).
     */
    SERVER_ERROR(500, "server_error", "subscribe authorizer failed", null),

    /**
     * JWT authorization is on and the request carries no token where one is needed (401, with
     * {@code WWW-Authenticate: Bearer}, no error code: RFC 6750 section 3.1).
     */
    JWT_MISSING(401, "jwt_missing", "token required", "WWW-Authenticate: Bearer"),

    /**
     * The token is not a compact JWS (not three base64url parts, not JSON, over the length limit), or its source
     * holds no token (an {@code Authorization} header of another scheme, an empty cookie) (401, with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_MALFORMED(401, "jwt_malformed", "malformed token", "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"malformed token\""),

    /**
     * The token's {@code alg} is {@code none} or another algorithm than the configured one (401, with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_ALGORITHM_NOT_ALLOWED(401, "jwt_algorithm_not_allowed", "token algorithm not allowed",
        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token algorithm not allowed\""),

    /**
     * The token's header has a {@code typ} other than {@code JWT}, or {@code crit} parameters (401, with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_UNSUPPORTED_HEADER(401, "jwt_unsupported_header", "token header not supported",
        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token header not supported\""),

    /**
     * The token's signature does not verify with the configured key (401, with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_BAD_SIGNATURE(401, "jwt_bad_signature", "token signature invalid",
        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token signature invalid\""),

    /**
     * The token's {@code exp} has passed (401, with {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_EXPIRED(401, "jwt_expired", "token expired", "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token expired\""),

    /**
     * The token's {@code nbf} has not come yet (401, with {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_NOT_YET_VALID(401, "jwt_not_yet_valid", "token not yet valid",
        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token not yet valid\""),

    /**
     * The token's claims have the wrong shape: {@code mercure} not an object, {@code publish} or {@code subscribe}
     * not an array of strings, {@code exp} or {@code nbf} not a number (401, with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_BAD_CLAIMS(401, "jwt_bad_claims", "token claims invalid", "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"token claims invalid\""),

    /**
     * A valid token whose {@code mercure.publish} or {@code mercure.subscribe} selectors do not allow the topic
     * (403, with {@code WWW-Authenticate: Bearer error="insufficient_scope"}).
     */
    JWT_FORBIDDEN(403, "jwt_forbidden", "token does not allow this topic",
        "WWW-Authenticate: Bearer error=\"insufficient_scope\""),

    /**
     * A publish whose token comes from the {@code mercureAuthorization} cookie, which a browser attaches by itself,
     * names no allowed web origin ({@code Origin}, or {@code Referer} without it; see
     * {@link PublishRequest#isFromAllowedOrigin()}): refused against cross-site request forgery (403).
     */
    JWT_COOKIE_ORIGIN(403, "jwt_cookie_origin", "a publish authorized by cookie needs an allowed Origin", null),

    /**
     * A clustered sequencer knows no leader to take a publish (an election is going on, or this node lost the
     * others): 503 with {@code Retry-After: 1}; nothing was published.
     */
    NO_LEADER(503, "no_leader", "no cluster leader; retry shortly", "Retry-After: 1"),

    /**
     * A publish whose numeric id is above {@link io.sseflow.server.sequencer.EventIds#MAX_PUBLISHER_ID}, where
     * server-assigned ids count (400).
     */
    ID_OUT_OF_RANGE(400, "id_out_of_range", io.sseflow.server.sequencer.EventIds.OUT_OF_RANGE_REASON, null),

    /**
     * A publish whose explicit id some of its topics retain and others do not, or retain as different events, or as
     * an event of the other kind (public, private) under the same id: neither a retry nor new (409).
     */
    ID_CONFLICT(409, "id_conflict",
        "id conflict: the id is already taken on some of the update's topics by another event (not a retry of one " +
        "update of all its topics)", null),

    /**
     * A new stream of several topics or selectors (one no subscriber has open) from a client whose streams' logs
     * already hold its share of the stream-log budget ({@code --stream-history-total-bytes} / 8): 429 with
     * {@code Retry-After}; joining a stream that exists is not refused.
     */
    STREAM_SHARE(429, "stream_share", "too much stream history held for this address: close a stream of several " +
        "topics first", "Retry-After: 1"),

    /**
     * A new stream of several topics or selectors when the stream-log budget ({@code --stream-history-total-bytes})
     * has no room for another stream's first buffer: 503 with {@code Retry-After}.
     */
    STREAM_BUDGET(503, "stream_budget", "stream history budget full: too many streams of several topics",
        "Retry-After: 1"),

    /**
     * A subscription whose new URI-template selectors would take what its client address brought over
     * {@code --max-template-parts-per-address} (429, with {@code Retry-After}).
     */
    ADDRESS_TEMPLATE_LIMIT(429, "address_template_limit", "too many URI-template selector parts from this address",
        "Retry-After: 1"),

    /**
     * A subscription whose new URI-template selectors would take the hub over {@code --max-template-parts}
     * (503, with {@code Retry-After}).
     */
    TEMPLATE_LIMIT(503, "template_limit", "URI-template selector limit reached", "Retry-After: 1"),

    /**
     * A clustered publish that was handed to the cluster but not answered in time (the leader stopped answering, or
     * this node lost it): it may or may not be committed. 504 with {@code Retry-After: 1}; the client retries with
     * the same {@code id} (or {@code Idempotency-Key}), which is never published twice while retained.
     */
    OUTCOME_UNKNOWN(504, "publish_outcome_unknown", "publish outcome unknown: it may or may not have been " +
        "published; retry with the same id or Idempotency-Key (never published twice)", "Retry-After: 1"),

    /**
     * An {@code Idempotency-Key} header that is empty, too long, not visible ASCII, or given twice (400).
     */
    BAD_IDEMPOTENCY_KEY(400, "bad_idempotency_key", io.sseflow.server.http.IdempotencyKey.RULE, null),

    /**
     * A durable node's data dir has less free space than {@code --min-free-disk-bytes}: 507 with the free and the
     * needed bytes as the reason; nothing was published. Subscribers are served as before, and publishes are taken
     * again once space is freed.
     */
    INSUFFICIENT_STORAGE(507, "insufficient_storage", "insufficient storage: publishes are refused until disk space " +
        "is freed", null),

    /**
     * A Mercure 1.0 access token ({@code typ: at+jwt}) whose {@code aud} does not hold the hub's resource identifier
     * ({@code --jwt-audience}), whose {@code iss} is not the trusted issuer ({@code --jwt-issuer}), that has no
     * {@code exp}, or that the hub cannot take because it has neither configured (401, with
     * {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_WRONG_AUDIENCE_OR_ISSUER(401, "jwt_wrong_audience_or_issuer", "access token not issued for this hub",
        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"access token not issued for this hub\""),

    /**
     * A Mercure 1.0 access token whose {@code authorization_details} fail to parse or validate, or exceed the
     * limits; no entry of it is acted on (401, with {@code WWW-Authenticate: Bearer error="invalid_token"}).
     */
    JWT_BAD_AUTHORIZATION_DETAILS(401, "jwt_bad_authorization_details", "authorization_details invalid",
        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"authorization_details invalid\""),

    /**
     * A token in the URL ({@code ?authorization=}, {@code ?access_token=}) on a Mercure 1.0 request, or a Mercure 1.0
     * access token there: the draft takes tokens from the {@code Authorization} header or the cookie only (400, with
     * {@code WWW-Authenticate: Bearer error="invalid_request"}).
     */
    JWT_TOKEN_IN_URL(400, "jwt_token_in_url", "Mercure 1.0 takes no token in the URL: use the Authorization " +
        "header or the __Secure-mercure_access_token cookie",
        "WWW-Authenticate: Bearer error=\"invalid_request\", error_description=\"token in the URL\""),

    /**
     * A {@code QUERY} subscription whose body is not {@code application/x-www-form-urlencoded} (no
     * {@code Content-Type}, another media type, or the field given twice) (415).
     */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type",
        "QUERY takes a Content-Type: application/x-www-form-urlencoded body", "Accept-Query: " +
        "application/x-www-form-urlencoded");

    static final Refusal[] VALUES = values();

    private static final int MAX_STATUS = 599;
    private static final Refusal[] BY_STATUS = new Refusal[MAX_STATUS + 1];

    static
    {
        for (final Refusal refusal : VALUES)
        {
            if (null == BY_STATUS[refusal.status])
            {
                BY_STATUS[refusal.status] = refusal;
            }
        }
    }

    private final int status;
    private final String label;
    private final String message;
    private final String extraHeader;

    Refusal(final int status, final String label, final String message, final String extraHeader)
    {
        this.status = status;
        this.label = label;
        this.message = message;
        this.extraHeader = extraHeader;
    }

    /**
     * HTTP status of the answer.
     *
     * @return the status code.
     */
    public int status()
    {
        return status;
    }

    /**
     * Label value in {@code sseflow_requests_refused_total{reason="..."}}.
     *
     * @return e.g. {@code topic_limit}.
     */
    public String label()
    {
        return label;
    }

    /**
     * Reason sent as the answer's body when the refusing code gives none more precise.
     *
     * @return ASCII text without line breaks.
     */
    public String message()
    {
        return message;
    }

    /**
     * Header field every answer of this refusal carries ({@code Retry-After: 1}, {@code WWW-Authenticate: Bearer}),
     * without the line's CRLF.
     *
     * @return the field line, or null.
     */
    public String extraHeader()
    {
        return extraHeader;
    }

    /**
     * The refusal for an error status of the HTTP request parser or the chunked body decoder: the first declared
     * with that status ({@link #BAD_REQUEST} for 400, {@link #TOO_LARGE} for 413, {@link #URI_TOO_LONG},
     * {@link #HEADERS_TOO_LARGE}, {@link #NOT_IMPLEMENTED}, {@link #HTTP_VERSION}), {@link #BAD_REQUEST} for a
     * status none has. Allocation-free.
     *
     * @param status an HTTP status code.
     * @return the refusal.
     */
    public static Refusal ofStatus(final int status)
    {
        final Refusal refusal = status >= 0 && status <= MAX_STATUS ? BY_STATUS[status] : null;
        return null == refusal ? BAD_REQUEST : refusal;
    }

    /**
     * The refusal with a label.
     *
     * @param label as in {@code sseflow_requests_refused_total{reason="..."}}.
     * @return the refusal.
     * @throws IllegalArgumentException naming the labels when none has this one.
     */
    public static Refusal ofLabel(final String label)
    {
        for (final Refusal refusal : VALUES)
        {
            if (refusal.label.equals(label))
            {
                return refusal;
            }
        }
        final StringBuilder labels = new StringBuilder();
        for (final Refusal refusal : VALUES)
        {
            labels.append(labels.length() == 0 ? "" : ", ").append(refusal.label);
        }
        throw new IllegalArgumentException("no refusal reason \"" + label + "\"; the reasons are " + labels);
    }
}
