package io.sseflow.benchmarks.fanout.peers;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.util.concurrent.ConcurrentHashMap;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

/**
 * The Spring WebFlux peer: functional routes on Reactor Netty, each subscriber a {@code Flux<ServerSentEvent>}
 * from a per-topic {@code Sinks.many().multicast().directBestEffort()} sink with its own
 * {@code onBackpressureBuffer()}, so a subscriber that is momentarily without demand is buffered, not dropped
 * (the sink's own buffering variants would either drop or stall every publisher on the slowest subscriber).
 * WebFlux encodes the SSE frame per subscriber; that is what it does.
 * <p>
 * Same contract as the sseflow hub: {@code GET /events/{topic}} streams, {@code POST /events/{topic}} publishes
 * the body as data and answers {@code 200} with the id, and it prints {@code webflux listening on http://HOST:PORT}.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.peers.WebFluxSseServer --port 8082
 * </pre>
 */
public final class WebFluxSseServer
{
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

    private WebFluxSseServer()
    {
    }

    /**
     * Start the server and block until it is closed.
     *
     * @param args {@code --host H --port P}.
     */
    public static void main(final String[] args)
    {
        final PeerServerOptions options = PeerServerOptions.parse(args);
        final WebFluxSseServer server = new WebFluxSseServer();
        final HttpHandler handler = RouterFunctions.toHttpHandler(server.routes());
        final DisposableServer disposable = HttpServer.create()
            .host(options.host)
            .port(options.port)
            .handle(new ReactorHttpHandlerAdapter(handler))
            .bindNow();
        System.out.println("webflux listening on http://" + options.host + ":" + disposable.port());
        System.out.flush();
        disposable.onDispose().block();
    }

    private RouterFunction<ServerResponse> routes()
    {
        return RouterFunctions
            .route(GET("/events/{topic}"), this::subscribe)
            .andRoute(POST("/events/{topic}"), this::publish);
    }

    private Mono<ServerResponse> subscribe(final ServerRequest request)
    {
        final String name = request.pathVariable("topic");
        if (!PeerServerOptions.isValidTopic(name))
        {
            return ServerResponse.notFound().build();
        }
        final Topic topic = topics.computeIfAbsent(name, (n) -> new Topic());
        return ServerResponse.ok()
            .contentType(MediaType.TEXT_EVENT_STREAM)
            .header("Cache-Control", "no-cache")
            .header("X-Accel-Buffering", "no")
            .body(BodyInserters.fromServerSentEvents(topic.sink.asFlux().onBackpressureBuffer()));
    }

    private Mono<ServerResponse> publish(final ServerRequest request)
    {
        final String name = request.pathVariable("topic");
        if (!PeerServerOptions.isValidTopic(name))
        {
            return ServerResponse.notFound().build();
        }
        final Topic topic = topics.computeIfAbsent(name, (n) -> new Topic());
        return request.bodyToMono(String.class)
            .defaultIfEmpty("")
            .flatMap((body) -> ServerResponse.ok()
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue(Long.toString(topic.publish(body))));
    }

    static final class Topic
    {
        final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many().multicast().directBestEffort();
        long lastId;

        synchronized long publish(final String data)
        {
            final long id = ++lastId;
            sink.tryEmitNext(ServerSentEvent.builder(data).id(Long.toString(id)).build());
            return id;
        }
    }
}
