package io.sseflow.server.selector;

/**
 * What a {@link TopicSelector} compares a topic with.
 */
public enum SelectorKind
{
    /**
     * The selector is one topic, compared character by character.
     */
    EXACT,

    /**
     * The selector {@code *}: every topic.
     */
    WILDCARD,

    /**
     * The selector is an RFC 6570 URI template: every topic it could expand to, and itself.
     */
    TEMPLATE
}
