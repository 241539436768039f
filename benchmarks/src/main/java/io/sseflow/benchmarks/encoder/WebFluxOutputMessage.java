package io.sseflow.benchmarks.encoder;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ReactiveHttpOutputMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A reusable {@link ReactiveHttpOutputMessage} standing in for Reactor Netty's response: it copies every
 * {@link DataBuffer} the writer produces into a {@link ByteSink} and releases it, as the server would after
 * writing it to the socket. Reusable so that nothing but the writer's own work is measured.
 */
final class WebFluxOutputMessage implements ReactiveHttpOutputMessage
{
    private final HttpHeaders headers = new HttpHeaders();
    private final ByteSink body = new ByteSink();
    private final Consumer<DataBuffer> collect = this::collect;

    /**
     * The in-memory body.
     *
     * @return the sink every buffer is copied into.
     */
    ByteSink body()
    {
        return body;
    }

    @Override
    public DataBufferFactory bufferFactory()
    {
        return DefaultDataBufferFactory.sharedInstance;
    }

    @Override
    public void beforeCommit(final Supplier<? extends Mono<Void>> action)
    {
    }

    @Override
    public boolean isCommitted()
    {
        return true;
    }

    @Override
    public Mono<Void> writeWith(final Publisher<? extends DataBuffer> body)
    {
        return Flux.from(body).doOnNext(collect).then();
    }

    @Override
    public Mono<Void> writeAndFlushWith(final Publisher<? extends Publisher<? extends DataBuffer>> body)
    {
        return Flux.from(body).concatMap(Flux::from).doOnNext(collect).then();
    }

    @Override
    public Mono<Void> setComplete()
    {
        return Mono.empty();
    }

    @Override
    public HttpHeaders getHeaders()
    {
        return headers;
    }

    private void collect(final DataBuffer buffer)
    {
        try
        {
            final int length = buffer.readableByteCount();
            final int offset = body.reserve(length);
            buffer.read(body.array(), offset, length);
        }
        finally
        {
            DataBufferUtils.release(buffer);
        }
    }
}
