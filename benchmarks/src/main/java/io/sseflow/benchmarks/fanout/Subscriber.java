package io.sseflow.benchmarks.fanout;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection of the {@link SseLoadClient}: its channel, its {@link SseResponseDecoder} and its place in the
 * sequence. Used on the client thread only.
 */
final class Subscriber implements SseResponseDecoder.Listener
{
    final SseLoadClient client;
    final int index;
    final SocketChannel channel;
    final SseResponseDecoder decoder = new SseResponseDecoder(this);
    SelectionKey key;
    int requestSent;
    boolean closed;
    boolean warmedUp;
    boolean stalled;
    boolean gap;
    long expected;

    Subscriber(final SseLoadClient client, final int index, final SocketChannel channel)
    {
        this.client = client;
        this.index = index;
        this.channel = channel;
    }

    public void onEvent(final long sequence, final long publishedNs)
    {
        client.onEvent(this, sequence, publishedNs);
    }

    public void onWarmUp()
    {
        client.onWarmUp(this);
    }
}
