package io.sseflow.server;

import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import io.sseflow.server.support.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Malformed and abusive requests, one table row each: the raw bytes go out on a fresh connection, the answer must
 * be the exact status line with a short reason in the body, and a bystander subscriber on another connection must
 * keep receiving what is published after every row. Request bytes are written as ISO-8859-1, so {@code \u00ff}
 * in a row is the single byte 0xFF.
 * <p>
 * Decisions recorded here: HTTP/1.0 is served (and the connection closed after the answer); an HTTP/1.1 request
 * without exactly one {@code Host} is 400 (RFC 9112 section 3.2); empty lines before the request line are ignored
 * (section 2.2) up to the head limit; two {@code Authorization} fields are 400; a chunked body is decoded
 * (section 7.1) and must be framed exactly (CRLF after every line, hex sizes), with {@code chunked} the final and
 * only coding (400 otherwise, 501 for another coding before it), never together with {@code Content-Length}
 * (400, section 6.1) and within the body limit (413 as soon as a chunk size passes it); unknown methods are 501;
 * the HTTP/2 preface is 505; topics {@code .} and {@code ..} are refused like any name outside the pattern.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedRequestTest
{
    private static final String H = "Host: 127.0.0.1\r\n";
    private static final String BAD = "HTTP/1.1 400 Bad Request";
    private static final String TOPIC = "topic name must match";

    private SseServer server;
    private RawSseClient bystander;
    private int published;

    @BeforeAll
    void startServer() throws IOException
    {
        server = SseServer.builder().port(0).maxEventBytes(1024).publishRingBytes(64 * 1024)
            .maxRequestHeadBytes(2048).start();
        bystander = RawSseClient.get(server.port(), "/events/bystander");
        bystander.readHead();
        Servers.awaitSubscribers(server, 1);
    }

    @AfterEach
    void bystanderStillServed() throws IOException
    {
        final String data = "after row " + (++published);
        server.topic("bystander").publish(data);
        assertEquals(new SseEvent(Integer.toString(published), "message", data), bystander.nextEvent());
    }

    @AfterAll
    void stopServer() throws IOException
    {
        bystander.close();
        server.close();
    }

    static Stream<Arguments> rows()
    {
        return Stream.of(
            // request line
            row("empty lines before the request line are ignored", "\r\n\n\r\n" + get("/nope"),
                "HTTP/1.1 404 Not Found", "not found"),
            row("only empty lines up to the head limit", "\r\n".repeat(1100), BAD,
                "too many empty lines before the request line"),
            row("bare CR before the request line", "\r" + get("/nope"), BAD, "CR not followed by LF"),
            row("missing target", "GET\r\n" + H + "\r\n", BAD, "malformed method"),
            row("target not origin-form", "GET events/t HTTP/1.1\r\n" + H + "\r\n", BAD, "malformed request target"),
            row("two spaces", "GET  /events/t HTTP/1.1\r\n" + H + "\r\n", BAD, "malformed"),
            row("lower-case version", "GET /events/t http/1.1\r\n" + H + "\r\n", BAD, "malformed protocol version"),
            row("version garbage", "GET /events/t HTTP/1.1x\r\n" + H + "\r\n", BAD, "malformed protocol version"),
            row("HTTP/0.9 style", "GET /events/t\r\n\r\n", BAD, "malformed request target"),
            row("HTTP/1.2", "GET /events/t HTTP/1.2\r\n" + H + "\r\n",
                "HTTP/1.1 505 HTTP Version Not Supported", "only HTTP/1.1 and HTTP/1.0"),
            row("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "HTTP/1.1 505 HTTP Version Not Supported", "only HTTP/1.1 and HTTP/1.0"),
            row("request line over the head limit", "GET /events/" + "t".repeat(3000) + " HTTP/1.1\r\n\r\n",
                "HTTP/1.1 414 URI Too Long", "request line too long"),
            // methods
            row("unknown method", "BREW /events/t HTTP/1.1\r\n" + H + "\r\n",
                "HTTP/1.1 501 Not Implemented", "method not implemented"),
            row("method with bad characters", "GE(T /events/t HTTP/1.1\r\n" + H + "\r\n", BAD, "malformed method"),
            row("method too long", "A".repeat(40) + " /events/t HTTP/1.1\r\n" + H + "\r\n", BAD, "malformed method"),
            row("known method not allowed", "DELETE /events/t HTTP/1.1\r\n" + H + "\r\n",
                "HTTP/1.1 405 Method Not Allowed", "method not allowed"),
            row("POST to metrics", "POST /metrics HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
                "HTTP/1.1 405 Method Not Allowed", "method not allowed"),
            // Host
            row("HTTP/1.1 without Host", "GET /events/t HTTP/1.1\r\n\r\n", BAD, "missing Host header"),
            row("two Host headers", "GET /events/t HTTP/1.1\r\n" + H + "Host: other\r\n\r\n",
                BAD, "more than one Host header"),
            // Authorization
            row("two Authorization headers on subscribe", "GET /events/t HTTP/1.1\r\n" + H +
                "Authorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n", BAD, "more than one Authorization header"),
            row("two Authorization headers on publish", "POST /events/t HTTP/1.1\r\n" + H +
                "Authorization: Bearer a\r\nauthorization: Bearer a\r\nContent-Length: 1\r\n\r\nx",
                BAD, "more than one Authorization header"),
            row("two Authorization headers on metrics", "GET /metrics HTTP/1.1\r\n" + H +
                "Authorization: Bearer a\r\nAuthorization: Bearer a\r\n\r\n", BAD, "more than one Authorization header"),
            // body framing
            row("Content-Length and Transfer-Encoding",
                "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "5\r\nhello\r\n0\r\n\r\n", BAD, "both Transfer-Encoding and Content-Length"),
            row("Content-Length and chunked on two lines",
                "POST /events/t HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" +
                "5\r\nhello\r\n0\r\n\r\n", BAD, "both Transfer-Encoding and Content-Length"),
            row("Transfer-Encoding not ending with chunked", te("chunked, gzip", "5\r\nhello\r\n0\r\n\r\n"),
                BAD, "Transfer-Encoding must end with chunked"),
            row("Transfer-Encoding without chunked", te("gzip", "hello"), BAD, "Transfer-Encoding must end with chunked"),
            row("Transfer-Encoding empty", te("", "hello"), BAD, "Transfer-Encoding must end with chunked"),
            row("another coding before chunked", te("gzip, chunked", "5\r\nhello\r\n0\r\n\r\n"),
                "HTTP/1.1 501 Not Implemented", "only the chunked transfer coding is supported"),
            row("chunked twice", te("chunked, chunked", "5\r\nhello\r\n0\r\n\r\n"), BAD, "chunked applied more than once"),
            row("chunked twice on two lines", "POST /events/t HTTP/1.1\r\n" + H +
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                BAD, "chunked applied more than once"),
            row("chunked in HTTP/1.0", "POST /events/t HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                BAD, "Transfer-Encoding in an HTTP/1.0 request"),
            row("chunk size not hex", chunked("zz\r\nhello\r\n0\r\n\r\n"), BAD, "malformed chunk size"),
            row("chunk size with a sign", chunked("+5\r\nhello\r\n0\r\n\r\n"), BAD, "malformed chunk size"),
            row("chunk size with 0x", chunked("0x5\r\nhello\r\n0\r\n\r\n"), BAD, "malformed chunk size"),
            row("chunk size missing", chunked("\r\nhello\r\n0\r\n\r\n"), BAD, "malformed chunk size"),
            row("space after the chunk size", chunked("5 \r\nhello\r\n0\r\n\r\n"), BAD, "malformed chunk size"),
            row("chunk-size line ended by bare LF", chunked("5\nhello\r\n0\r\n\r\n"), BAD,
                "chunk-size line not ended by CRLF"),
            row("chunk data longer than its size", chunked("3\r\nhello\r\n0\r\n\r\n"), BAD,
                "chunk data not followed by CRLF"),
            row("chunk data ended by bare LF", chunked("5\r\nhello\n0\r\n\r\n"), BAD, "chunk data not followed by CRLF"),
            row("chunk size over the body limit", chunked("401\r\n"), "HTTP/1.1 413 Content Too Large",
                "request body too large"),
            row("chunk size huge", chunked("ffffffffffffffffffffffff\r\n"), "HTTP/1.1 413 Content Too Large",
                "request body too large"),
            row("chunks together over the body limit",
                chunked("200\r\n" + "x".repeat(512) + "\r\n201\r\n" + "y".repeat(513) + "\r\n0\r\n\r\n"),
                "HTTP/1.1 413 Content Too Large", "request body too large"),
            row("control byte in a chunk extension", chunked("5;a\u0001b\r\nhello\r\n0\r\n\r\n"), BAD,
                "malformed chunk extension"),
            row("NUL in a chunk extension", chunked("5;a=\u0000\r\nhello\r\n0\r\n\r\n"), BAD,
                "malformed chunk extension"),
            row("chunk extension too long", chunked("5;" + "e".repeat(5000) + "\r\nhello\r\n0\r\n\r\n"), BAD,
                "chunk-size line too long"),
            row("malformed trailer field", chunked("5\r\nhello\r\n0\r\nbad trailer\r\n\r\n"), BAD,
                "malformed trailer field"),
            row("folded trailer field", chunked("5\r\nhello\r\n0\r\nX: a\r\n folded\r\n\r\n"), BAD,
                "malformed trailer field"),
            row("trailer field ended by bare LF", chunked("0\r\nX: a\n\r\n"), BAD, "malformed trailer field"),
            row("chunked body not ended by CRLF", chunked("0\r\n\rx"), BAD, "chunked body not ended by CRLF"),
            row("invalid UTF-8 in a chunked body", chunked("2\r\n\u00ff\u00fe\r\n0\r\n\r\n"), BAD,
                "body must be UTF-8"),
            row("Content-Length not a number", "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: 5x\r\n\r\n",
                BAD, "invalid Content-Length"),
            row("Content-Length negative", "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n",
                BAD, "invalid Content-Length"),
            row("Content-Length with sign", "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: +1\r\n\r\nx",
                BAD, "invalid Content-Length"),
            row("Content-Length list", "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: 1, 1\r\n\r\nx",
                BAD, "invalid Content-Length"),
            row("conflicting Content-Lengths",
                "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: 0\r\nContent-Length: 1\r\n\r\nx",
                BAD, "invalid Content-Length"),
            row("Content-Length over long", "POST /events/t HTTP/1.1\r\n" + H +
                "Content-Length: 99999999999999999999999\r\n\r\n", BAD, "invalid Content-Length"),
            row("Content-Length huge", "POST /events/t HTTP/1.1\r\n" + H + "Content-Length: 999999999999\r\n\r\n",
                "HTTP/1.1 413 Content Too Large", "request body too large"),
            // header limits
            row("one header line over the head limit", "GET /events/t HTTP/1.1\r\n" + H +
                "X-Big: " + "h".repeat(3000) + "\r\n\r\n",
                "HTTP/1.1 431 Request Header Fields Too Large", "request header fields too large"),
            row("too many header fields", "GET /events/t HTTP/1.1\r\n" + H + "X: y\r\n".repeat(120) + "\r\n",
                "HTTP/1.1 431 Request Header Fields Too Large", "too many header fields"),
            // control bytes
            row("NUL in target", "GET /events/t\u0000 HTTP/1.1\r\n" + H + "\r\n", BAD, "malformed request target"),
            row("NUL in method", "G\u0000T /events/t HTTP/1.1\r\n" + H + "\r\n", BAD, "malformed method"),
            row("NUL in header value", "GET /events/t HTTP/1.1\r\n" + H + "X: a\u0000b\r\n\r\n",
                BAD, "control character in header value"),
            row("control byte in header value", "GET /events/t HTTP/1.1\r\n" + H + "X: a\u001bb\r\n\r\n",
                BAD, "control character in header value"),
            row("DEL in header value", "GET /events/t HTTP/1.1\r\n" + H + "X: a\u007fb\r\n\r\n",
                BAD, "control character in header value"),
            row("space in header name", "GET /events/t HTTP/1.1\r\n" + H + "Bad Header: x\r\n\r\n",
                BAD, "malformed header name"),
            row("space before colon", "GET /events/t HTTP/1.1\r\n" + H + "Host : x\r\n\r\n",
                BAD, "malformed header name"),
            row("empty header name", "GET /events/t HTTP/1.1\r\n" + H + ": x\r\n\r\n", BAD, "empty header name"),
            row("bare CR", "GET /events/t HTTP/1.1\r" + H + "\r\n", BAD, "CR not followed by LF"),
            row("obsolete line folding", "GET /events/t HTTP/1.1\r\n" + H + "X: a\r\n  folded\r\n\r\n",
                BAD, "obsolete line folding"),
            row("obsolete line folding with tab", "GET /events/t HTTP/1.1\r\n" + H + "X: a\r\n\tfolded\r\n\r\n",
                BAD, "obsolete line folding"),
            // publish fields and body
            row("invalid UTF-8 in body", post("/events/t", "\u00ff\u00fe"), BAD, "body must be UTF-8"),
            row("overlong UTF-8 in body", post("/events/t", "\u00c0\u00af"), BAD, "body must be UTF-8"),
            row("truncated UTF-8 in body", post("/events/t", "a\u00e2\u0082"), BAD, "body must be UTF-8"),
            row("UTF-16 surrogate in body", post("/events/t", "\u00ed\u00a0\u0080"), BAD, "body must be UTF-8"),
            row("CR in event", post("/events/t?event=a%0Db", "x"), BAD, "event must be UTF-8 without CR, LF or NUL"),
            row("LF in event", post("/events/t?event=a%0Aid:%207", "x"), BAD,
                "event must be UTF-8 without CR, LF or NUL"),
            row("CRLF in id", post("/events/t?id=1%0D%0Adata:%20x", "x"), BAD,
                "id must be UTF-8 without CR, LF or NUL"),
            row("NUL in id", post("/events/t?id=a%00b", "x"), BAD, "id must be UTF-8 without CR, LF or NUL"),
            row("invalid UTF-8 in id", post("/events/t?id=%FF", "x"), BAD, "id must be UTF-8 without CR, LF or NUL"),
            row("bad escape in event", post("/events/t?event=%G1", "x"), BAD,
                "event must be UTF-8 without CR, LF or NUL"),
            row("retry not digits", post("/events/t?retry=1e3", "x"), BAD, "retry must be ASCII digits"),
            // topic names and traversal
            row("empty topic", get("/events/"), BAD, TOPIC),
            row("no topic", get("/events"), BAD, TOPIC),
            row("129-character topic", get("/events/" + "a".repeat(129)), BAD, TOPIC),
            row("topic with space escape", get("/events/a%20b"), BAD, TOPIC),
            row("topic with encoded slash", get("/events/a%2Fb"), BAD, TOPIC),
            row("topic with slash", get("/events/a/b"), BAD, TOPIC),
            row("topic with colon", get("/events/a:b"), BAD, TOPIC),
            row("topic with non-ASCII", "GET /events/\u00e9t\u00e9 HTTP/1.1\r\n" + H + "\r\n", BAD,
                "malformed request target"),
            row("topic dot", get("/events/."), BAD, TOPIC),
            row("topic dot-dot", get("/events/.."), BAD, TOPIC),
            row("traversal out of events", get("/events/../x"), BAD, TOPIC),
            row("traversal inside events", get("/events/a/../b"), BAD, TOPIC),
            row("percent-encoded dots", get("/events/%2e%2e/x"), BAD, TOPIC),
            row("percent-encoded dot-dot topic", get("/events/%2E%2E"), BAD, TOPIC),
            row("publish to traversal", post("/events/../metrics", "x"), BAD, TOPIC),
            row("traversal to other path", get("/x/../metrics"), "HTTP/1.1 404 Not Found", "not found"),
            row("unknown path", get("/nope"), "HTTP/1.1 404 Not Found", "not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldRefuseWithExactStatusAndReason(
        final String name, final String request, final String statusLine, final String reason) throws IOException
    {
        final String response = exchange(request);
        assertEquals(statusLine, RawHttp.status(response), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
        final String body = RawHttp.body(response);
        assertFalse(body.isBlank(), "no reason in body: " + response);
        assertTrue(body.contains(reason), "reason '" + reason + "' not in body: " + body);
    }

    @Test
    void shouldServeHttp10AndCloseAfterTheAnswer() throws IOException
    {
        final String response = exchange("GET /metrics HTTP/1.0\r\n\r\n");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(response));
        assertTrue(RawHttp.body(response).contains("sseflow_connections "), response);

        final String published = exchange("POST /events/http10 HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(published));
        assertEquals("1\n", RawHttp.body(published));
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws IOException
    {
        final String response = exchange(
            "POST /events/pipe HTTP/1.1\r\n" + H + "Content-Length: 1\r\n\r\na" +
            "POST /events/pipe HTTP/1.1\r\n" + H + "Content-Length: 1\r\n\r\nb" +
            "GET /nope HTTP/1.1\r\n" + H + "\r\n" +
            "GET /metrics HTTP/1.1\r\n" + H + "\r\n");
        final String first = "HTTP/1.1 200 OK";
        final int a = response.indexOf(first);
        final int b = response.indexOf(first, a + 1);
        final int notFound = response.indexOf("HTTP/1.1 404 Not Found");
        assertTrue(a == 0 && b > a && notFound > b, response);
        assertTrue(response.substring(a, b).endsWith("\r\n\r\n1\n"), response);
        assertTrue(response.substring(b, notFound).endsWith("\r\n\r\n2\n"), response);
        assertFalse(response.contains("sseflow_connections"), "answered after the error closed: " + response);
    }

    @Test
    void shouldAnswerPipelinedRequestsAfterAChunkedBody() throws IOException
    {
        final String response = exchange(
            "POST /events/pipe-chunked HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n" +
            "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n" +
            "POST /events/pipe-chunked HTTP/1.1\r\n" + H + "Content-Length: 1\r\n\r\nf" +
            "POST /events/pipe-chunked HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n1\r\ng\r\n0\r\n\r\n" +
            "GET /nope HTTP/1.1\r\n" + H + "\r\n");
        final String first = "HTTP/1.1 200 OK";
        final int a = response.indexOf(first);
        final int b = response.indexOf(first, a + 1);
        final int c = response.indexOf(first, b + 1);
        final int notFound = response.indexOf("HTTP/1.1 404 Not Found");
        assertTrue(a == 0 && b > a && c > b && notFound > c, response);
        assertTrue(response.substring(a, b).endsWith("\r\n\r\n1\n"), response);
        assertTrue(response.substring(b, c).endsWith("\r\n\r\n2\n"), response);
        assertTrue(response.substring(c, notFound).endsWith("\r\n\r\n3\n"), response);
    }

    private String exchange(final String request) throws IOException
    {
        return RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String get(final String target)
    {
        return "GET " + target + " HTTP/1.1\r\n" + H + "\r\n";
    }

    private static String post(final String target, final String latin1Body)
    {
        return "POST " + target + " HTTP/1.1\r\n" + H + "Content-Length: " + latin1Body.length() + "\r\n\r\n" +
            latin1Body;
    }

    private static String chunked(final String latin1Body)
    {
        return te("chunked", latin1Body);
    }

    private static String te(final String transferEncoding, final String latin1Body)
    {
        return "POST /events/t HTTP/1.1\r\n" + H + "Transfer-Encoding: " + transferEncoding + "\r\n\r\n" + latin1Body;
    }

    private static Arguments row(final String name, final String request, final String statusLine, final String reason)
    {
        return arguments(name, request, statusLine, reason);
    }
}
