package io.sseflow.server;

import io.sseflow.server.http.HttpRequestParser;
import io.sseflow.server.subscriber.SubscriberCursor;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection, owned by the server agent: reading a request, waiting for a publish to be sequenced,
 * writing a response, streaming events, finishing the frame in flight of a stream being ended, or lingering
 * before close.
 */
final class Connection
{
    static final int READING = 1;
    static final int AWAITING_PUBLISH = 2;
    static final int WRITING = 3;
    static final int STREAMING = 4;
    static final int LINGERING = 5;
    static final int CLOSED = 6;
    static final int ENDING_STREAM = 7;

    final long id;
    final SocketChannel channel;
    final boolean admitted;
    HttpRequestParser parser;
    final SubscriberCursor cursor = new SubscriberCursor();
    SelectionKey key;
    int interestOps;
    int state = READING;
    int listIndex = -1;
    int subscriberIndex = -1;
    int readyIndex = -1;

    BufferPool.PooledBuffer request;
    int readLimit;
    boolean continueSent;
    boolean keepAlive;
    boolean announceKeepAlive;
    ByteBuffer pendingOut;
    long deadlineNs;
    Topic topic;
    java.net.InetAddress remoteAddress;
    java.net.InetAddress proxyAddress;
    long clientHigh;
    long clientLow;

    Connection(final long id, final SocketChannel channel, final boolean admitted, final HttpRequestParser parser)
    {
        this.id = id;
        this.channel = channel;
        this.admitted = admitted;
        this.parser = parser;
    }

    void setInterest(final int interestOps)
    {
        if (this.interestOps != interestOps && key.isValid())
        {
            key.interestOps(interestOps);
            this.interestOps = interestOps;
        }
    }

    void releaseRequest()
    {
        final BufferPool.PooledBuffer request = this.request;
        if (null != request)
        {
            request.release();
            this.request = null;
        }
    }
}
