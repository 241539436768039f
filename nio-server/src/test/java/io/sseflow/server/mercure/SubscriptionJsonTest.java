package io.sseflow.server.mercure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The presence bodies and topics, byte for byte: the spec's example subscription, a list, JSON escaping, and the
 * percent-encoding of a selector and a subscriber id.
 */
class SubscriptionJsonTest
{
    private static final String SELECTOR = "https://example.com/{selector}";
    private static final String SUBSCRIBER = "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6";
    private static final String ID = "/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2F%7Bselector%7D/" +
        "urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6";

    @Test
    void shouldPercentEncodeTheSelectorAndTheSubscriberAsThePathOfTheSubscriptionTopic()
    {
        assertEquals(ID, SubscriptionIds.topic(SELECTOR, SUBSCRIBER));
        assertEquals("a%20b%2Bc~d-e_f.g%25%C3%A9%2A", SubscriptionIds.escape("a b+c~d-e_f.g%\u00e9*"));
    }

    @Test
    void shouldRenderTheSpecsSubscriptionUpdateWithItsPayload()
    {
        assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"" + ID + "\",\"type\":\"Subscription\"," +
            "\"topic\":\"https://example.com/{selector}\",\"subscriber\":\"" + SUBSCRIBER + "\",\"active\":true," +
            "\"payload\":{\"foo\":\"bar\"}}",
            SubscriptionJson.subscription(SELECTOR, SUBSCRIBER, true, "{\"foo\":\"bar\"}"));
    }

    @Test
    void shouldRenderAnEndedSubscriptionWithoutPayloadAndEscapeItsStrings()
    {
        assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"/.well-known/mercure/subscriptions/" +
            "a%22b%5Cc/s\",\"type\":\"Subscription\",\"topic\":\"a\\\"b\\\\c\",\"subscriber\":\"s\",\"active\":false}",
            SubscriptionJson.subscription("a\"b\\c", "s", false, null));
    }

    @Test
    void shouldRenderAListOfSubscriptionsWithoutTheirOwnContext()
    {
        final StringBuilder json = new StringBuilder();
        SubscriptionJson.openList(json, "/.well-known/mercure/subscriptions", "urn:uuid:x");
        SubscriptionJson.appendSubscription(json, "t", "s", true, null, false);
        SubscriptionJson.closeList(json);
        assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"/.well-known/mercure/subscriptions\"," +
            "\"type\":\"Subscriptions\",\"lastEventID\":\"urn:uuid:x\",\"subscriptions\":[" +
            "{\"id\":\"/.well-known/mercure/subscriptions/t/s\",\"type\":\"Subscription\",\"topic\":\"t\"," +
            "\"subscriber\":\"s\",\"active\":true}]}", json.toString());
    }

    @Test
    void shouldSayHowManyEntriesACutListLeftOut()
    {
        final StringBuilder json = new StringBuilder();
        SubscriptionJson.openList(json, "/.well-known/mercure/subscriptions", "earliest");
        SubscriptionJson.appendSubscription(json, "t", "s", true, null, false);
        SubscriptionJson.closeList(json, 101);
        assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"/.well-known/mercure/subscriptions\"," +
            "\"type\":\"Subscriptions\",\"lastEventID\":\"earliest\",\"subscriptions\":[" +
            "{\"id\":\"/.well-known/mercure/subscriptions/t/s\",\"type\":\"Subscription\",\"topic\":\"t\"," +
            "\"subscriber\":\"s\",\"active\":true}],\"omitted\":101}", json.toString());
    }
}
