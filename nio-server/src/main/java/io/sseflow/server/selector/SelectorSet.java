package io.sseflow.server.selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The topic selectors of one subscription: 1 to {@link #MAX_SELECTORS} given, kept once each in the order of
 * their texts, so two subscriptions that ask for the same selectors in any order or repetition have equal sets
 * (and can share what depends only on the set). Immutable and thread-safe; {@link #matchesAny} allocates
 * nothing: the wildcard first, then exact selectors, then templates.
 */
public final class SelectorSet
{
    /**
     * Most selectors one subscription may give, counting repeats.
     */
    public static final int MAX_SELECTORS = 100;

    private static final Comparator<TopicSelector> BY_TEXT_THEN_KIND =
        Comparator.comparing(TopicSelector::text).thenComparing(TopicSelector::kind).thenComparing(TopicSelector::key);

    private final TopicSelector[] selectors;
    private final TopicSelector[] exact;
    private final TopicSelector[] templates;
    private final boolean wildcard;
    private final int hashCode;

    private SelectorSet(final TopicSelector[] selectors)
    {
        this.selectors = selectors;
        final List<TopicSelector> exact = new ArrayList<>();
        final List<TopicSelector> templates = new ArrayList<>();
        boolean wildcard = false;
        for (final TopicSelector selector : selectors)
        {
            switch (selector.kind())
            {
                case WILDCARD:
                    wildcard = true;
                    break;

                case TEMPLATE:
                    templates.add(selector);
                    break;

                case EXACT:
                default:
                    exact.add(selector);
                    break;
            }
        }
        this.exact = exact.toArray(new TopicSelector[0]);
        this.templates = templates.toArray(new TopicSelector[0]);
        this.wildcard = wildcard;
        hashCode = Arrays.hashCode(selectors);
    }

    /**
     * Parse the selectors of a subscription.
     *
     * @param selectors texts, each parsed by {@link TopicSelector#parse}.
     * @return the set.
     * @throws IllegalArgumentException when none or more than {@link #MAX_SELECTORS} are given, or one is invalid.
     */
    public static SelectorSet of(final CharSequence... selectors)
    {
        return of(Arrays.asList(selectors));
    }

    /**
     * Parse the selectors of a subscription.
     *
     * @param selectors texts, each parsed by {@link TopicSelector#parse}.
     * @return the set.
     * @throws IllegalArgumentException when none or more than {@link #MAX_SELECTORS} are given, or one is invalid.
     */
    public static SelectorSet of(final Collection<? extends CharSequence> selectors)
    {
        checkCount(selectors.size());
        final List<TopicSelector> parsed = new ArrayList<>(selectors.size());
        for (final CharSequence selector : selectors)
        {
            parsed.add(TopicSelector.parse(selector));
        }
        return ofSelectors(parsed);
    }

    /**
     * The set of selectors already parsed.
     *
     * @param selectors the selectors.
     * @return the set.
     * @throws IllegalArgumentException when none or more than {@link #MAX_SELECTORS} are given.
     */
    public static SelectorSet ofSelectors(final Collection<TopicSelector> selectors)
    {
        checkCount(selectors.size());
        final TopicSelector[] sorted = selectors.toArray(new TopicSelector[0]);
        for (final TopicSelector selector : sorted)
        {
            Objects.requireNonNull(selector, "selector");
        }
        Arrays.sort(sorted, BY_TEXT_THEN_KIND);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++)
        {
            if (distinct == 0 || !sorted[distinct - 1].equals(sorted[i]))
            {
                sorted[distinct++] = sorted[i];
            }
        }
        return new SelectorSet(Arrays.copyOf(sorted, distinct));
    }

    private static void checkCount(final int count)
    {
        if (count == 0)
        {
            throw new IllegalArgumentException("no topic selector given");
        }
        if (count > MAX_SELECTORS)
        {
            throw new IllegalArgumentException(
                count + " topic selectors given; at most " + MAX_SELECTORS + " are allowed");
        }
    }

    /**
     * Does any selector of the set match the topic?
     *
     * @param topic to test.
     * @return true when one matches.
     */
    public boolean matchesAny(final CharSequence topic)
    {
        if (wildcard)
        {
            return true;
        }
        for (final TopicSelector selector : exact)
        {
            if (selector.matches(topic))
            {
                return true;
            }
        }
        for (final TopicSelector selector : templates)
        {
            if (selector.matches(topic))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The same set made of the given instances of its selectors (an equal selector for each, as a hub-wide table
     * of compiled selectors gives), so that sets sharing a template share its compiled form.
     *
     * @param shared gives, for each selector, an equal one to use instead (or the same).
     * @return this set when nothing changed, else a set equal to this one.
     */
    public SelectorSet withShared(final UnaryOperator<TopicSelector> shared)
    {
        final TopicSelector[] replaced = new TopicSelector[selectors.length];
        boolean changed = false;
        for (int i = 0; i < selectors.length; i++)
        {
            final TopicSelector selector = shared.apply(selectors[i]);
            if (!selectors[i].equals(selector))
            {
                throw new IllegalArgumentException("not the same selector: " + selector + " for " + selectors[i]);
            }
            replaced[i] = selector;
            changed |= selector != selectors[i];
        }
        return changed ? new SelectorSet(replaced) : this;
    }

    /**
     * The parts of the set's template selectors together ({@link TopicSelector#templateParts()}): what its
     * compiled form and its matching work grow with.
     *
     * @return the sum.
     */
    public int templateParts()
    {
        int parts = 0;
        for (final TopicSelector template : templates)
        {
            parts += template.templateParts();
        }
        return parts;
    }

    /**
     * How many distinct selectors the set has.
     *
     * @return 1 to {@link #MAX_SELECTORS}.
     */
    public int size()
    {
        return selectors.length;
    }

    /**
     * One selector, in the order of their texts.
     *
     * @param index 0 to {@link #size()} - 1.
     * @return the selector.
     */
    public TopicSelector selector(final int index)
    {
        return selectors[index];
    }

    /**
     * How many distinct selectors of a kind the set has (for metrics).
     *
     * @param kind of selector.
     * @return the count.
     */
    public int count(final SelectorKind kind)
    {
        switch (kind)
        {
            case WILDCARD:
                return wildcard ? 1 : 0;

            case TEMPLATE:
                return templates.length;

            case EXACT:
            default:
                return exact.length;
        }
    }

    @Override
    public boolean equals(final Object other)
    {
        return this == other ||
            (other instanceof SelectorSet && Arrays.equals(selectors, ((SelectorSet)other).selectors));
    }

    @Override
    public int hashCode()
    {
        return hashCode;
    }

    @Override
    public String toString()
    {
        return Arrays.toString(selectors);
    }
}
