package io.sseflow.server.mercure;

import io.sseflow.server.http.AsciiBytes;
import io.sseflow.server.http.FieldRules;
import io.sseflow.server.http.LastEventIdField;
import io.sseflow.server.http.QueryParameters;
import io.sseflow.server.selector.SelectorSet;
import io.sseflow.server.selector.TopicSelector;
import io.sseflow.server.selector.TopicText;
import io.sseflow.server.selector.TopicTextProblem;
import io.sseflow.server.selector.UrlPatternException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A Mercure subscribe request's query, {@code GET /.well-known/mercure?topic=S&topic=S2&lastEventID=X}, parsed
 * into the subscription's {@link SelectorSet} and where it starts. Every {@code topic} parameter is a selector
 * (see {@link TopicSelector}). The last event id is the {@code Last-Event-ID} header when it is present and not
 * empty (a reconnecting {@code EventSource} sends it, the latest id the client has), else the first
 * {@code lastEventID} parameter when not empty (Mercure's name: a first connection cannot send headers), else the
 * first {@code lastEventId} parameter when not empty (what {@code event-source-polyfill} sends, and the name
 * {@code /events} reads), else there is none ({@link MercureResumeSource}); the reserved value {@code earliest},
 * from any of them, asks for every update still retained. A malformed id in either parameter refuses the query.
 * Other parameters (a token's {@code authorization}, say) are left to their readers. Names and values are percent-
 * and plus-decoded; a malformed escape refuses the query.
 * <p>
 * Mercure 1.0 (the draft, {@link MercureProtocol#DRAFT}) on the same endpoint: a request with a name of the
 * reserved {@code match} namespace ({@link MatcherParameter}) and no {@code topic} follows the draft's rules:
 * {@code match} and {@code match_exact} are exact matchers (a value with braces is that text, not a template;
 * {@code *} is the wildcard), {@code match_urlpattern} a WHATWG URL Pattern ({@link TopicSelector#urlPattern}, one
 * it cannot compile refused with the reason), each value checked by {@link MatcherText}; any other name of the namespace is
 * refused (beside {@code topic} such a name is ignored, as it always was); the query's last event id is the first
 * {@code last_event_id} ({@code lastEventID} is not read), the header still winning; the response field is
 * {@code Mercure-Last-Event-ID}. Both {@code topic} and a matcher is refused
 * ({@link MercureSubscribeOutcome#MIXED_PROTOCOLS}). A request with {@code topic} is read as before.
 * <p>
 * A {@code QUERY} request's body (RFC 10008) is read as more pairs after the query's (see
 * {@link #parse(DirectBuffer, int, int, DirectBuffer, int, int, DirectBuffer, int, int)}).
 * <p>
 * A pure function of the bytes; it allocates the result (subscribing is once per connection). Immutable.
 */
public final class MercureSubscribeQuery
{
    /**
     * The reserved last event id that asks for every update still retained.
     */
    public static final String EARLIEST = "earliest";

    private final MercureSubscribeOutcome outcome;
    private final String reason;
    private final SelectorSet selectors;
    private final MercureResume resume;
    private final String lastEventId;
    private final MercureResumeSource resumeSource;
    private final MercureProtocol protocol;

    private MercureSubscribeQuery(
        final MercureSubscribeOutcome outcome,
        final String reason,
        final SelectorSet selectors,
        final MercureResume resume,
        final String lastEventId,
        final MercureResumeSource resumeSource,
        final MercureProtocol protocol)
    {
        this.outcome = outcome;
        this.reason = reason;
        this.selectors = selectors;
        this.resume = resume;
        this.lastEventId = lastEventId;
        this.resumeSource = resumeSource;
        this.protocol = protocol;
    }

    /**
     * Parse a query without a {@code Last-Event-ID} header.
     *
     * @param query  holding the query text (without {@code ?}).
     * @param offset of the query.
     * @param length of the query.
     * @return the parsed query, or its refusal.
     */
    public static MercureSubscribeQuery parse(final DirectBuffer query, final int offset, final int length)
    {
        return parse(query, offset, length, null, 0, 0, null, 0, -1, true);
    }

    /**
     * Parse the query of a native multi-topic stream, {@code GET /events?topic=A&topic=B}, for its topics: as
     * {@link #parse(DirectBuffer, int, int)}, but the {@code lastEventId} parameter is left alone ({@code /events}
     * reads it itself, as it does for one topic).
     *
     * @param query  holding the query text (without {@code ?}).
     * @param offset of the query.
     * @param length of the query.
     * @return the parsed query, or its refusal.
     */
    public static MercureSubscribeQuery parseTopicNames(final DirectBuffer query, final int offset, final int length)
    {
        return parse(query, offset, length, null, 0, 0, null, 0, -1, false);
    }

    /**
     * Parse a query and the request's {@code Last-Event-ID} header.
     *
     * @param query             holding the query text (without {@code ?}).
     * @param offset            of the query.
     * @param length            of the query.
     * @param header            holding the header's value, or null when absent.
     * @param lastEventIdOffset of the header's value.
     * @param lastEventIdLength of the header's value, negative when absent.
     * @return the parsed query, or its refusal.
     */
    public static MercureSubscribeQuery parse(
        final DirectBuffer query,
        final int offset,
        final int length,
        final DirectBuffer header,
        final int lastEventIdOffset,
        final int lastEventIdLength)
    {
        return parse(query, offset, length, null, 0, 0, header, lastEventIdOffset, lastEventIdLength, true);
    }

    /**
     * Parse a subscription whose parameters are also in an {@code application/x-www-form-urlencoded} body (a
     * {@code QUERY} request, RFC 10008): the pairs of the query and of the body are read as one list, the query's
     * first, as the draft's "Subscription" section asks (their union; a single-valued {@code last_event_id} or
     * {@code lastEventID} given in both is the query's, the {@code Last-Event-ID} header still winning). The body's
     * content type is the caller's to check.
     *
     * @param query             holding the query text (without {@code ?}).
     * @param offset            of the query.
     * @param length            of the query.
     * @param body              holding the body.
     * @param bodyOffset        of the body.
     * @param bodyLength        of the body.
     * @param header            holding the {@code Last-Event-ID} header's value, or null when absent.
     * @param lastEventIdOffset of the header's value.
     * @param lastEventIdLength of the header's value, negative when absent.
     * @return the parsed subscription, or its refusal.
     */
    public static MercureSubscribeQuery parse(
        final DirectBuffer query,
        final int offset,
        final int length,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength,
        final DirectBuffer header,
        final int lastEventIdOffset,
        final int lastEventIdLength)
    {
        return parse(query, offset, length, body, bodyOffset, bodyLength, header, lastEventIdOffset,
            lastEventIdLength, true);
    }

    private static MercureSubscribeQuery parse(
        final DirectBuffer query,
        final int offset,
        final int length,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength,
        final DirectBuffer header,
        final int lastEventIdOffset,
        final int lastEventIdLength,
        final boolean mercureEndpoint)
    {
        final int scratchLength = Math.max(Math.max(length, bodyLength), 1);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[scratchLength]);
        final FormPairs pairs = new FormPairs();
        final List<String> selectorTexts = new ArrayList<>();
        final List<TopicSelector> matchers = new ArrayList<>();
        final QueryId lastEventIdParameter = new QueryId();
        final QueryId lastEventIdAlias = new QueryId();
        final QueryId draftLastEventId = new QueryId();
        MercureSubscribeOutcome matcherProblem = MercureSubscribeOutcome.OK;
        final String[] patternProblem = new String[1];
        boolean reservedName = false;
        boolean knownMatcher = false;
        final int segments = null == body ? 1 : 2;
        for (int segment = 0; segment < segments; segment++)
        {
            final DirectBuffer source = segment == 0 ? query : body;
            if (segment == 0)
            {
                pairs.reset(query, offset, length);
            }
            else
            {
                pairs.reset(body, bodyOffset, bodyLength);
            }
            while (pairs.next())
            {
                final int nameLength = QueryParameters.percentDecode(
                    source, pairs.nameOffset(), pairs.nameLength(), scratch, 0, scratchLength);
                if (nameLength == QueryParameters.MALFORMED)
                {
                    return refused(MercureSubscribeOutcome.MALFORMED_ESCAPE);
                }
                final boolean topic = AsciiBytes.equals(scratch, 0, nameLength, "topic");
                final MatcherParameter matcher =
                    mercureEndpoint ? MatcherParameter.of(scratch, 0, nameLength) : MatcherParameter.NONE;
                final QueryId lastEventId =
                    AsciiBytes.equals(scratch, 0, nameLength, "lastEventID") ? lastEventIdParameter :
                    mercureEndpoint && AsciiBytes.equals(scratch, 0, nameLength, "lastEventId") ? lastEventIdAlias :
                    mercureEndpoint && AsciiBytes.equals(scratch, 0, nameLength, "last_event_id") ? draftLastEventId :
                    null;
                final int valueLength = QueryParameters.percentDecode(
                    source, pairs.valueOffset(), pairs.valueLength(), scratch, 0, scratchLength);
                if (valueLength == QueryParameters.MALFORMED)
                {
                    return refused(MercureSubscribeOutcome.MALFORMED_ESCAPE);
                }
                if (topic)
                {
                    if (selectorTexts.size() == SelectorSet.MAX_SELECTORS)
                    {
                        return refused(MercureSubscribeOutcome.TOO_MANY_SELECTORS);
                    }
                    final MercureSubscribeOutcome problem = selectorProblem(scratch, valueLength);
                    if (problem != MercureSubscribeOutcome.OK)
                    {
                        return refused(problem);
                    }
                    selectorTexts.add(MercurePublish.utf8(scratch, 0, valueLength));
                }
                else if (matcher != MatcherParameter.NONE)
                {
                    reservedName = true;
                    knownMatcher |= matcher != MatcherParameter.UNKNOWN;
                    if (matcherProblem == MercureSubscribeOutcome.OK)
                    {
                        matcherProblem = addMatcher(matcher, scratch, valueLength, matchers, patternProblem);
                    }
                }
                else if (null != lastEventId)
                {
                    final MercureSubscribeOutcome problem = lastEventId.read(scratch, valueLength);
                    if (problem != MercureSubscribeOutcome.OK)
                    {
                        return refused(problem);
                    }
                }
            }
        }
        if (knownMatcher && !selectorTexts.isEmpty())
        {
            return refused(MercureSubscribeOutcome.MIXED_PROTOCOLS);
        }
        if (reservedName && selectorTexts.isEmpty())
        {
            if (matcherProblem == MercureSubscribeOutcome.INVALID_URL_PATTERN)
            {
                return new MercureSubscribeQuery(matcherProblem, matcherProblem.reason() + ": " + patternProblem[0],
                    null, MercureResume.LIVE, null, MercureResumeSource.NONE, MercureProtocol.PRE_STANDARDIZATION);
            }
            if (matcherProblem != MercureSubscribeOutcome.OK)
            {
                return refused(matcherProblem);
            }
            return resuming(MercureProtocol.DRAFT, matchers, draftLastEventId, null,
                header, lastEventIdOffset, lastEventIdLength);
        }
        if (selectorTexts.isEmpty())
        {
            return refused(MercureSubscribeOutcome.MISSING_TOPIC);
        }

        final List<TopicSelector> selectors = new ArrayList<>(selectorTexts.size());
        for (final String text : selectorTexts)
        {
            try
            {
                selectors.add(TopicSelector.parse(text));
            }
            catch (final IllegalArgumentException ex)
            {
                return new MercureSubscribeQuery(
                    MercureSubscribeOutcome.SELECTOR_TOO_MANY_EXPRESSIONS,
                    ex.getMessage().replaceFirst("^topic selector", "\"topic\" selector"), null,
                    MercureResume.LIVE, null, MercureResumeSource.NONE, MercureProtocol.PRE_STANDARDIZATION);
            }
        }
        return resuming(MercureProtocol.PRE_STANDARDIZATION, selectors, lastEventIdParameter,
            lastEventIdAlias, header, lastEventIdOffset, lastEventIdLength);
    }

    /**
     * Add a Mercure 1.0 matcher's selector, or say why it is refused.
     */
    private static MercureSubscribeOutcome addMatcher(
        final MatcherParameter matcher,
        final DirectBuffer value,
        final int length,
        final List<TopicSelector> matchers,
        final String[] patternProblem)
    {
        if (matcher == MatcherParameter.UNKNOWN)
        {
            return MercureSubscribeOutcome.UNKNOWN_MATCHER;
        }
        if (matchers.size() == SelectorSet.MAX_SELECTORS)
        {
            return MercureSubscribeOutcome.TOO_MANY_MATCHERS;
        }
        final MercureSubscribeOutcome byteProblem = matcherProblem(TopicText.check(value, 0, length));
        if (byteProblem != MercureSubscribeOutcome.OK)
        {
            return byteProblem;
        }
        final String text = MercurePublish.utf8(value, 0, length);
        final MercureSubscribeOutcome textProblem = matcherProblem(MatcherText.check(text));
        if (textProblem != MercureSubscribeOutcome.OK)
        {
            return textProblem;
        }
        if (matcher == MatcherParameter.URL_PATTERN)
        {
            try
            {
                matchers.add(TopicSelector.urlPattern(text));
            }
            catch (final UrlPatternException ex)
            {
                patternProblem[0] = ex.getMessage();
                return MercureSubscribeOutcome.INVALID_URL_PATTERN;
            }
            return MercureSubscribeOutcome.OK;
        }
        matchers.add(TopicSelector.exact(text));
        return MercureSubscribeOutcome.OK;
    }

    private static MercureSubscribeOutcome matcherProblem(final TopicTextProblem problem)
    {
        switch (problem)
        {
            case EMPTY:
                return MercureSubscribeOutcome.EMPTY_MATCHER;

            case TOO_LONG:
                return MercureSubscribeOutcome.MATCHER_TOO_LONG;

            case NOT_UTF8:
                return MercureSubscribeOutcome.MATCHER_NOT_UTF8;

            case CONTROL_CHARACTER:
                return MercureSubscribeOutcome.MATCHER_CONTROL_CHARACTER;

            case NONE:
            default:
                return MercureSubscribeOutcome.OK;
        }
    }

    /**
     * The accepted query, resuming from the {@code Last-Event-ID} header when it is not empty, else from the first
     * query id that is not empty ({@code primary}, then {@code alias}); a malformed header refuses the query.
     */
    private static MercureSubscribeQuery resuming(
        final MercureProtocol protocol,
        final List<TopicSelector> selectors,
        final QueryId primary,
        final QueryId alias,
        final DirectBuffer header,
        final int lastEventIdOffset,
        final int lastEventIdLength)
    {
        String lastEventId = null;
        MercureResumeSource source = MercureResumeSource.NONE;
        if (null != primary.value && !primary.value.isEmpty())
        {
            lastEventId = primary.value;
            source = protocol == MercureProtocol.DRAFT ?
                MercureResumeSource.LAST_EVENT_ID_DRAFT_PARAMETER : MercureResumeSource.LAST_EVENT_ID_PARAMETER;
        }
        else if (null != alias && null != alias.value && !alias.value.isEmpty())
        {
            lastEventId = alias.value;
            source = MercureResumeSource.LAST_EVENT_ID_ALIAS_PARAMETER;
        }
        if (null != header && lastEventIdLength > 0)
        {
            final MercureSubscribeOutcome problem = lastEventIdProblem(header, lastEventIdOffset, lastEventIdLength);
            if (problem != MercureSubscribeOutcome.OK)
            {
                return refused(problem);
            }
            lastEventId = MercurePublish.utf8(header, lastEventIdOffset, lastEventIdLength);
            source = MercureResumeSource.LAST_EVENT_ID_HEADER;
        }
        final MercureResume resume = null == lastEventId ? MercureResume.LIVE :
            EARLIEST.equals(lastEventId) ? MercureResume.EARLIEST : MercureResume.AFTER_ID;
        return new MercureSubscribeQuery(MercureSubscribeOutcome.OK, MercureSubscribeOutcome.OK.reason(),
            SelectorSet.ofSelectors(selectors), resume, resume == MercureResume.AFTER_ID ? lastEventId : null, source,
            protocol);
    }

    private static MercureSubscribeQuery refused(final MercureSubscribeOutcome outcome)
    {
        return new MercureSubscribeQuery(outcome, outcome.reason(), null, MercureResume.LIVE, null,
            MercureResumeSource.NONE, MercureProtocol.PRE_STANDARDIZATION);
    }

    /**
     * The first value of one last-event-id query parameter, decoded; later ones are not read.
     */
    private static final class QueryId
    {
        private String value;

        MercureSubscribeOutcome read(final DirectBuffer decoded, final int length)
        {
            if (null != value)
            {
                return MercureSubscribeOutcome.OK;
            }
            final MercureSubscribeOutcome problem = lastEventIdProblem(decoded, 0, length);
            if (problem == MercureSubscribeOutcome.OK)
            {
                value = MercurePublish.utf8(decoded, 0, length);
            }
            return problem;
        }
    }

    private static MercureSubscribeOutcome selectorProblem(final DirectBuffer value, final int length)
    {
        switch (TopicText.check(value, 0, length))
        {
            case EMPTY:
                return MercureSubscribeOutcome.EMPTY_SELECTOR;

            case TOO_LONG:
                return MercureSubscribeOutcome.SELECTOR_TOO_LONG;

            case NOT_UTF8:
                return MercureSubscribeOutcome.SELECTOR_NOT_UTF8;

            case CONTROL_CHARACTER:
                return MercureSubscribeOutcome.SELECTOR_CONTROL_CHARACTER;

            case NONE:
            default:
                return MercureSubscribeOutcome.OK;
        }
    }

    private static MercureSubscribeOutcome lastEventIdProblem(
        final DirectBuffer value, final int offset, final int length)
    {
        if (length > MercurePublish.MAX_ID_LENGTH)
        {
            return MercureSubscribeOutcome.LAST_EVENT_ID_TOO_LONG;
        }
        return FieldRules.isValidFieldValue(value, offset, length) ?
            MercureSubscribeOutcome.OK : MercureSubscribeOutcome.INVALID_LAST_EVENT_ID;
    }

    /**
     * Was the query accepted?
     *
     * @return {@link MercureSubscribeOutcome#OK} or the refusal.
     */
    public MercureSubscribeOutcome outcome()
    {
        return outcome;
    }

    /**
     * The reason a refusal's {@code 400} carries (for a template of too many expressions, with the count).
     *
     * @return short text.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * The subscription's selectors.
     *
     * @return the set, or null when refused.
     */
    public SelectorSet selectors()
    {
        return selectors;
    }

    /**
     * Where the subscription starts.
     *
     * @return {@link MercureResume#LIVE} when no last event id was given (or refused).
     */
    public MercureResume resume()
    {
        return resume;
    }

    /**
     * Where the last event id came from.
     *
     * @return {@link MercureResumeSource#NONE} when the subscription is live (or refused).
     */
    public MercureResumeSource resumeSource()
    {
        return resumeSource;
    }

    /**
     * Which protocol the request speaks.
     *
     * @return {@link MercureProtocol#DRAFT} for Mercure 1.0's parameters; else (and when refused)
     * {@link MercureProtocol#PRE_STANDARDIZATION}.
     */
    public MercureProtocol protocol()
    {
        return protocol;
    }

    /**
     * The field the response head carries to say where the subscription resumes.
     *
     * @return the protocol's field when the request asked to resume, else {@link LastEventIdField#NONE}.
     */
    public LastEventIdField lastEventIdField()
    {
        return resume == MercureResume.LIVE ? LastEventIdField.NONE : protocol.lastEventIdField();
    }

    /**
     * The last event id to resume after.
     *
     * @return the id when {@link #resume()} is {@link MercureResume#AFTER_ID}, else null.
     */
    public String lastEventId()
    {
        return lastEventId;
    }
}
