package io.sseflow.benchmarks.fanout.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Netty peer: SSE broadcast written the way Netty recommends for fan-out. Each event is encoded once into
 * one pooled {@link ByteBuf} (already framed as an HTTP/1.1 chunk, so nothing is encoded per subscriber) and
 * handed to {@link ChannelGroup#write(Object, io.netty.channel.group.ChannelMatcher, boolean)}, which
 * writes a retained duplicate to every subscriber channel with void promises; the group is flushed once per batch
 * of requests read ({@code channelReadComplete}), Netty's idiom for coalescing writes. The native epoll transport is
 * used when available (Netty's advice on Linux); {@code -Dnetty.nio=true} forces NIO.
 * <p>
 * Same contract as the sseflow hub: {@code GET /events/{topic}} streams, {@code POST /events/{topic}} publishes
 * the body as data and answers {@code 200} with the id, and it prints {@code netty listening on http://HOST:PORT}.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.peers.NettyBroadcastServer --port 8081
 * </pre>
 */
public final class NettyBroadcastServer
{
    private static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        "Cache-Control: no-cache\r\n" +
        "X-Accel-Buffering: no\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

    private NettyBroadcastServer()
    {
    }

    /**
     * Start the server and block until it is closed.
     *
     * @param args {@code --host H --port P}.
     * @throws InterruptedException if interrupted while serving.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final PeerServerOptions options = PeerServerOptions.parse(args);
        final boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("netty.nio");
        final int workers = Runtime.getRuntime().availableProcessors();
        final EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        final EventLoopGroup worker = epoll ? new EpollEventLoopGroup(workers) : new NioEventLoopGroup(workers);
        final Class<? extends ServerChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final NettyBroadcastServer server = new NettyBroadcastServer();
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(boss, worker)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline()
                            .addLast("codec", new HttpServerCodec())
                            .addLast("aggregator", new HttpObjectAggregator(64 * 1024))
                            .addLast("handler", server.new RequestHandler());
                    }
                })
                .bind(options.host, options.port).sync().channel();
            final int port = ((InetSocketAddress)channel.localAddress()).getPort();
            System.out.println("netty listening on http://" + options.host + ":" + port +
                " (" + (epoll ? "epoll" : "nio") + ", " + workers + " workers)");
            System.out.flush();
            channel.closeFuture().sync();
        }
        finally
        {
            boss.shutdownGracefully();
            worker.shutdownGracefully();
        }
    }

    private Topic topic(final String name)
    {
        return topics.computeIfAbsent(name, (n) -> new Topic());
    }

    static final class Topic
    {
        final ChannelGroup subscribers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        long lastId;

        synchronized long publish(final ByteBufAllocator allocator, final ByteBuf body)
        {
            final long id = ++lastId;
            final ByteBuf frame = encodeChunk(allocator, id, body);
            subscribers.write(frame, ChannelMatchers.all(), true);
            return id;
        }

        void flush()
        {
            subscribers.flush(ChannelMatchers.all());
        }
    }

    /**
     * Encode {@code id: N\ndata: line\n...\n} as one HTTP/1.1 chunk ({@code hex-size CRLF frame CRLF}); CRLF, CR and
     * LF in the body each start a new {@code data:} line.
     */
    static ByteBuf encodeChunk(final ByteBufAllocator allocator, final long id, final ByteBuf body)
    {
        final int start = body.readerIndex();
        final int end = body.writerIndex();
        int lines = 1;
        int textBytes = 0;
        for (int i = start; i < end; i++)
        {
            final byte b = body.getByte(i);
            if (b == '\r')
            {
                lines++;
                if (i + 1 < end && body.getByte(i + 1) == '\n')
                {
                    i++;
                }
            }
            else if (b == '\n')
            {
                lines++;
            }
            else
            {
                textBytes++;
            }
        }
        final int idDigits = digits(id);
        final int frameLength = ID.length + idDigits + 1 + lines * (DATA.length + 1) + textBytes + 1;
        final int hexDigits = (32 - Integer.numberOfLeadingZeros(frameLength) + 3) / 4;
        final ByteBuf out = allocator.directBuffer(hexDigits + 2 + frameLength + 2);
        for (int shift = (hexDigits - 1) * 4; shift >= 0; shift -= 4)
        {
            out.writeByte(HEX[(frameLength >>> shift) & 0xF]);
        }
        out.writeByte('\r').writeByte('\n');
        out.writeBytes(ID);
        writeDigits(out, id, idDigits);
        out.writeByte('\n');
        out.writeBytes(DATA);
        for (int i = start; i < end; i++)
        {
            final byte b = body.getByte(i);
            if (b == '\r' || b == '\n')
            {
                if (b == '\r' && i + 1 < end && body.getByte(i + 1) == '\n')
                {
                    i++;
                }
                out.writeByte('\n').writeBytes(DATA);
            }
            else
            {
                out.writeByte(b);
            }
        }
        out.writeByte('\n').writeByte('\n').writeByte('\r').writeByte('\n');
        return out;
    }

    private static int digits(final long value)
    {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10)
        {
            digits++;
        }
        return digits;
    }

    private static void writeDigits(final ByteBuf out, final long value, final int digits)
    {
        final int at = out.writerIndex();
        long v = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            out.setByte(at + i, (int)('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
    }

    final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        private final java.util.ArrayList<Topic> published = new java.util.ArrayList<>();

        /**
         * Netty's batching idiom: everything written while reading one batch of requests is flushed once, here,
         * so pipelined publishes reach each subscriber in one write (as the sseflow hub does).
         */
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            for (int i = 0, size = published.size(); i < size; i++)
            {
                published.get(i).flush();
            }
            published.clear();
            ctx.flush();
            ctx.fireChannelReadComplete();
        }

        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final String uri = request.uri();
            final int query = uri.indexOf('?');
            final String path = query < 0 ? uri : uri.substring(0, query);
            if (!path.startsWith("/events/") || !PeerServerOptions.isValidTopic(path.substring(8)))
            {
                respond(ctx, request, HttpResponseStatus.NOT_FOUND, "not found");
                return;
            }
            final Topic topic = topic(path.substring(8));
            if (HttpMethod.GET.equals(request.method()))
            {
                subscribe(ctx, topic);
            }
            else if (HttpMethod.POST.equals(request.method()))
            {
                final long id = topic.publish(ctx.alloc(), request.content());
                if (!published.contains(topic))
                {
                    published.add(topic);
                }
                respond(ctx, request, HttpResponseStatus.OK, Long.toString(id));
            }
            else
            {
                respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            }
        }

        private void subscribe(final ChannelHandlerContext ctx, final Topic topic)
        {
            final Channel channel = ctx.channel();
            final ChannelPipeline pipeline = ctx.pipeline();
            pipeline.remove("aggregator");
            pipeline.remove("codec");
            pipeline.replace(this, "subscriber", SubscriberHandler.INSTANCE);
            channel.writeAndFlush(Unpooled.wrappedBuffer(STREAM_HEAD), channel.voidPromise());
            topic.subscribers.add(channel);
        }

        private void respond(
            final ChannelHandlerContext ctx,
            final FullHttpRequest request,
            final HttpResponseStatus status,
            final String text)
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive)
            {
                ctx.write(response, ctx.voidPromise());
            }
            else
            {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }

    @ChannelHandler.Sharable
    static final class SubscriberHandler extends ChannelInboundHandlerAdapter
    {
        static final SubscriberHandler INSTANCE = new SubscriberHandler();

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ReferenceCountUtil.release(msg);
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
