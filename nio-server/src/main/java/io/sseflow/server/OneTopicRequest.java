package io.sseflow.server;

import java.net.InetAddress;
import java.util.List;

/**
 * A request for several topics seen as the request for one of them, so that an authorizer which decides only
 * {@link SubscribeRequest#topic()} is asked about every topic of the request, not only the first.
 */
final class OneTopicRequest implements SubscribeRequest
{
    private final SubscribeRequest request;
    private final String topic;

    OneTopicRequest(final SubscribeRequest request, final String topic)
    {
        this.request = request;
        this.topic = topic;
    }

    public String topic()
    {
        return topic;
    }

    public List<String> topics()
    {
        return List.of(topic);
    }

    public boolean topicsAreSelectors()
    {
        return request.topicsAreSelectors();
    }

    public InetAddress remoteAddress()
    {
        return request.remoteAddress();
    }

    public String header(final String name)
    {
        return request.header(name);
    }

    public List<String> headers(final String name)
    {
        return request.headers(name);
    }

    public List<String> headerNames()
    {
        return request.headerNames();
    }

    public String bearerToken()
    {
        return request.bearerToken();
    }

    public String queryParameter(final String name)
    {
        return request.queryParameter(name);
    }
}
