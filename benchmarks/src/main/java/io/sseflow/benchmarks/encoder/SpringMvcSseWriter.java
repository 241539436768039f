package io.sseflow.benchmarks.encoder;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.converter.ByteArrayHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.ResourceHttpMessageConverter;
import org.springframework.http.converter.ResourceRegionHttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.converter.support.AllEncompassingFormHttpMessageConverter;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What Spring MVC 6.2 does per {@code SseEmitter.send(SseEmitter.event()...)}, minus the servlet container:
 * {@code SseEmitter.send(builder)} builds the {@link DataWithMediaType} set, takes the emitter's write lock
 * (twice: {@code SseEmitter.send} then {@code ResponseBodyEmitter.send}), and
 * {@code ResponseBodyEmitterReturnValueHandler.DefaultSseEmitterHandler} writes each item with the first message
 * converter whose {@code canWrite(data.getClass(), mediaType)} answers true, then flushes.
 * <p>
 * The converters are Spring MVC's defaults ({@code WebMvcConfigurationSupport.addDefaultHttpMessageConverters}
 * with Jackson on the classpath), the String converter in UTF-8 as Spring Boot configures it. The output message
 * plays {@code StreamingServletServerHttpResponse}: mutable headers that start as the emitter left them
 * ({@code Content-Type: text/event-stream}) and a body that is an in-memory {@link ByteSink} (no socket).
 * Emitter and handler are package-private in Spring, hence this faithful copy of their per-event code path.
 */
final class SpringMvcSseWriter
{
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<HttpMessageConverter<?>> messageConverters = List.of(
        new ByteArrayHttpMessageConverter(),
        new StringHttpMessageConverter(StandardCharsets.UTF_8),
        new ResourceHttpMessageConverter(),
        new ResourceRegionHttpMessageConverter(),
        new AllEncompassingFormHttpMessageConverter(),
        new MappingJackson2HttpMessageConverter(Jackson2ObjectMapperBuilder.json().build()));
    private final StreamingResponse outputMessage = new StreamingResponse();
    private boolean complete;

    /**
     * The in-memory body.
     *
     * @return the sink every event is written to.
     */
    ByteSink body()
    {
        return outputMessage.body;
    }

    /**
     * {@code SseEmitter.send(SseEventBuilder)}.
     *
     * @param builder the event.
     * @throws IOException as Spring declares it.
     */
    void send(final SseEmitter.SseEventBuilder builder) throws IOException
    {
        final Set<DataWithMediaType> dataToSend = builder.build();
        writeLock.lock();
        try
        {
            sendItems(dataToSend);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private void sendItems(final Set<DataWithMediaType> items) throws IOException
    {
        writeLock.lock();
        try
        {
            if (complete)
            {
                throw new IllegalStateException("ResponseBodyEmitter has already completed");
            }
            if (items.isEmpty())
            {
                return;
            }
            for (final DataWithMediaType item : items)
            {
                sendInternal(item.getData(), item.getMediaType());
            }
            outputMessage.flush();
        }
        finally
        {
            writeLock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void sendInternal(final T data, final MediaType mediaType) throws IOException
    {
        for (final HttpMessageConverter<?> converter : messageConverters)
        {
            if (converter.canWrite(data.getClass(), mediaType))
            {
                ((HttpMessageConverter<T>)converter).write(data, mediaType, outputMessage);
                return;
            }
        }
        throw new IllegalArgumentException("No suitable converter for " + data.getClass());
    }

    /**
     * {@code StreamingServletServerHttpResponse} over an in-memory body.
     */
    private static final class StreamingResponse implements ServerHttpResponse
    {
        private final HttpHeaders mutableHeaders = new HttpHeaders();
        private final ByteSink body = new ByteSink();

        StreamingResponse()
        {
            mutableHeaders.setContentType(MediaType.TEXT_EVENT_STREAM);
        }

        @Override
        public HttpHeaders getHeaders()
        {
            return mutableHeaders;
        }

        @Override
        public OutputStream getBody()
        {
            return body;
        }

        @Override
        public void setStatusCode(final HttpStatusCode status)
        {
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
