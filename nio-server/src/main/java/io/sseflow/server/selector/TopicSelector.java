package io.sseflow.server.selector;

import java.util.Objects;

/**
 * An expression that matches topics: the wildcard {@code *} (every topic), a URI template per RFC 6570
 * ({@code https://example.com/books/{id}}: every topic it could expand to), or any other text (that one topic).
 * A topic matches when the selector is {@code *}, when it equals the selector exactly (so a template also
 * matches itself), or when the selector is a valid URI template the topic is an expansion of. A text with a
 * left brace that is not a valid template (unbalanced or nested braces, a space, a bad operator) is an exact
 * topic.
 * <p>
 * A template's expressions match what hubs speaking this protocol have always matched: an expression may expand
 * to nothing; otherwise to its operator's first character ({@code # . / ; ? &}; none for simple and {@code +}),
 * one value, then up to one more value per further variable (any number when a variable is exploded with
 * {@code *}), each after the operator's separator. A value is any run of percent-encoded triplets and allowed
 * characters: unreserved ones and {@code ,} (and {@code =} for {@code ; ? &} and exploded variables), or
 * unreserved and reserved ones for {@code +} and {@code #}. So {@code https://example.com/books/{id}} matches
 * {@code https://example.com/books/42} but not {@code https://example.com/books/42/pages}; named expansions
 * ({@code {?q}}) do not check the variable's name, and a prefix ({@code {var:3}}) does not limit the value's length.
 * <p>
 * Parsed once: immutable and thread-safe; {@link #matches} allocates nothing and never backtracks. Equal when
 * their texts and kinds are equal (an {@link #exact} selector of a template's text is not that template).
 */
public final class TopicSelector
{
    /**
     * The selector that matches every topic.
     */
    public static final String WILDCARD = "*";

    /**
     * Most {@code {...}} expressions in one template selector.
     */
    public static final int MAX_EXPRESSIONS = 16;

    /**
     * Most parts (fixed texts, groups, wildcards, over all its components) in one URL-pattern selector.
     */
    public static final int MAX_URL_PATTERN_PARTS = 48;

    private static final TopicSelector ALL = new TopicSelector(WILDCARD, SelectorKind.WILDCARD, null);

    private static final String URL_PATTERN_KEY_PREFIX = "\u0001urlpattern:";

    private final String text;
    private final SelectorKind kind;
    private final UriTemplate template;
    private final UrlPattern urlPattern;
    private final String key;

    private TopicSelector(final String text, final SelectorKind kind, final UriTemplate template)
    {
        this(text, kind, template, null);
    }

    private TopicSelector(
        final String text, final SelectorKind kind, final UriTemplate template, final UrlPattern urlPattern)
    {
        this.text = text;
        this.kind = kind;
        this.template = template;
        this.urlPattern = urlPattern;
        this.key = null == urlPattern ? text : URL_PATTERN_KEY_PREFIX + text;
    }

    /**
     * Parse a selector.
     *
     * @param text of the selector: 1 to {@link TopicText#MAX_LENGTH} bytes of UTF-8, no control character.
     * @return the selector.
     * @throws IllegalArgumentException naming the problem when the text breaks {@link TopicText}'s rule, or is a
     *                                  template of more than {@link #MAX_EXPRESSIONS} expressions.
     */
    public static TopicSelector parse(final CharSequence text)
    {
        Objects.requireNonNull(text, "text");
        final TopicTextProblem problem = TopicText.check(text);
        if (problem != TopicTextProblem.NONE)
        {
            throw new IllegalArgumentException("topic selector " + problem.reason());
        }
        final String selector = text.toString();
        if (WILDCARD.equals(selector))
        {
            return ALL;
        }
        if (selector.indexOf('{') >= 0)
        {
            final UriTemplate template = UriTemplate.parse(selector);
            if (null != template)
            {
                if (template.expressions() > MAX_EXPRESSIONS)
                {
                    throw new IllegalArgumentException("topic selector has " + template.expressions() +
                        " URI-template expressions; at most " + MAX_EXPRESSIONS + " are allowed");
                }
                return new TopicSelector(selector, SelectorKind.TEMPLATE, template);
            }
        }
        return new TopicSelector(selector, SelectorKind.EXACT, null);
    }

    /**
     * An exact selector, Mercure 1.0's {@code exact} matcher type ({@code ?match=}): that one topic, compared
     * character by character even when it looks like a URI template; {@code *} is still the wildcard.
     *
     * @param text of the selector: 1 to {@link TopicText#MAX_LENGTH} bytes of UTF-8, no control character.
     * @return the selector.
     * @throws IllegalArgumentException naming the problem when the text breaks {@link TopicText}'s rule.
     */
    public static TopicSelector exact(final CharSequence text)
    {
        Objects.requireNonNull(text, "text");
        final TopicTextProblem problem = TopicText.check(text);
        if (problem != TopicTextProblem.NONE)
        {
            throw new IllegalArgumentException("topic matcher " + problem.reason());
        }
        final String selector = text.toString();
        return WILDCARD.equals(selector) ? ALL : new TopicSelector(selector, SelectorKind.EXACT, null);
    }

    /**
     * A URL-pattern selector, Mercure 1.0's {@code urlpattern} matcher type ({@code ?match_urlpattern=}): every
     * topic the WHATWG URL Pattern matches ({@link UrlPattern}); {@code *} is still the wildcard. It is of kind
     * {@link SelectorKind#TEMPLATE}: matched once per (selector, topic) and budgeted as templates are, but it is not
     * the template of the same text ({@link #key()}).
     *
     * @param text of the pattern: 1 to {@link TopicText#MAX_LENGTH} bytes of UTF-8, no control character.
     * @return the selector.
     * @throws IllegalArgumentException naming the problem when the text breaks {@link TopicText}'s rule, or is not
     *                                  a URL pattern this hub can match ({@link UrlPatternException}).
     */
    public static TopicSelector urlPattern(final CharSequence text)
    {
        Objects.requireNonNull(text, "text");
        final TopicTextProblem problem = TopicText.check(text);
        if (problem != TopicTextProblem.NONE)
        {
            throw new IllegalArgumentException("topic matcher " + problem.reason());
        }
        final String selector = text.toString();
        if (WILDCARD.equals(selector))
        {
            return ALL;
        }
        final UrlPattern pattern = UrlPattern.compile(selector);
        if (pattern.partCount() > MAX_URL_PATTERN_PARTS)
        {
            throw new UrlPatternException("has " + pattern.partCount() + " parts; at most " + MAX_URL_PATTERN_PARTS +
                " are allowed");
        }
        return new TopicSelector(selector, SelectorKind.TEMPLATE, null, pattern);
    }

    /**
     * Does this selector match the topic?
     *
     * @param topic to test; any text (a topic longer than {@link TopicText#MAX_LENGTH} still works).
     * @return true when it matches.
     */
    public boolean matches(final CharSequence topic)
    {
        switch (kind)
        {
            case WILDCARD:
                return true;

            case TEMPLATE:
                return null != urlPattern ? urlPattern.matches(topic) :
                    text.contentEquals(topic) || template.matches(topic);

            case EXACT:
            default:
                return text.contentEquals(topic);
        }
    }

    /**
     * How many parts (literals and expressions) a template selector has, what its compiled form and its matching
     * cost grow with; 0 for the wildcard and exact selectors.
     *
     * @return the count.
     */
    public int templateParts()
    {
        return null != urlPattern ? urlPattern.partCount() : null == template ? 0 : template.partCount();
    }

    /**
     * Most steps {@link #matches} may take for a topic of this length: a deterministic measure of matching work
     * (for a template (parts + 1) x (length + 1), whatever the topic; for an exact selector the comparison).
     *
     * @param topicLength of the topic, in chars.
     * @return the steps, at least 1.
     */
    public long matchCost(final int topicLength)
    {
        switch (kind)
        {
            case WILDCARD:
                return 1;

            case TEMPLATE:
                return null != urlPattern ? urlPattern.matchCost(topicLength) :
                    topicLength + 1 + template.matchCost(topicLength);

            case EXACT:
            default:
                return topicLength + 1;
        }
    }

    /**
     * What this selector compares topics with.
     *
     * @return the kind.
     */
    public SelectorKind kind()
    {
        return kind;
    }

    /**
     * The selector as given.
     *
     * @return the text.
     */
    public String text()
    {
        return text;
    }

    /**
     * What tells this selector from another of the same text: the text, except for a URL pattern (which is not
     * the exact topic or URI template of its text).
     *
     * @return the key; equal selectors have equal keys.
     */
    public String key()
    {
        return key;
    }

    /**
     * Is this a URL-pattern selector ({@link #urlPattern})?
     *
     * @return true for one.
     */
    public boolean isUrlPattern()
    {
        return null != urlPattern;
    }

    UriTemplate template()
    {
        return template;
    }

    @Override
    public boolean equals(final Object other)
    {
        return this == other || (other instanceof TopicSelector && key.equals(((TopicSelector)other).key) &&
            kind == ((TopicSelector)other).kind);
    }

    @Override
    public int hashCode()
    {
        return text.hashCode();
    }

    @Override
    public String toString()
    {
        return text;
    }
}
