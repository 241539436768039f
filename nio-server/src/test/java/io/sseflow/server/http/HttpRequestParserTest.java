package io.sseflow.server.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRequestParserTest
{
    private static final String REQUEST =
        "GET /events/news?lastEventId=7&x=1 HTTP/1.1\r\n" +
        "Host: 127.0.0.1\r\n" +
        "last-event-id:   42  \r\n" +
        "Authorization: Bearer tok\r\n" +
        "Origin: https://a.example\r\n" +
        "Content-Length: 3\r\n" +
        "Connection: keep-alive, close\r\n" +
        "\r\n" +
        "abc";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 1000})
    void shouldParseTheSameRequestArrivingInPiecesOfAnySize(final int pieceSize)
    {
        final UnsafeBuffer buffer = buffer(REQUEST);
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        int result = HttpRequestParser.NEED_MORE;
        for (int limit = pieceSize; result == HttpRequestParser.NEED_MORE; limit += pieceSize)
        {
            result = parser.parse(buffer, Math.min(limit, REQUEST.length()));
        }
        assertEquals(HttpRequestParser.COMPLETE, result);
        assertEquals(HttpMethod.GET, parser.method());
        assertEquals("/events/news", text(buffer, parser.pathOffset(), parser.pathLength()));
        assertEquals("lastEventId=7&x=1", text(buffer, parser.queryOffset(), parser.queryLength()));
        assertEquals("42", text(buffer, parser.lastEventIdOffset(), parser.lastEventIdLength()));
        assertEquals("Bearer tok", text(buffer, parser.authorizationOffset(), parser.authorizationLength()));
        assertEquals("https://a.example", text(buffer, parser.originOffset(), parser.originLength()));
        assertEquals(3, parser.contentLength());
        assertEquals(REQUEST.length() - 3, parser.headLength());
        assertFalse(parser.isKeepAlive());
        assertTrue(parser.isHttp11());
    }

    @Test
    void shouldVisitEveryHeaderFieldTrimmedInOrder()
    {
        final UnsafeBuffer buffer = buffer(REQUEST);
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, REQUEST.length()));
        final StringBuilder seen = new StringBuilder();
        final int visited = parser.forEachHeader(buffer, (b, nameOffset, nameLength, valueOffset, valueLength) ->
        {
            seen.append(text(b, nameOffset, nameLength)).append('=').append(text(b, valueOffset, valueLength)).append(';');
            return true;
        });
        assertEquals(6, visited);
        assertEquals(6, parser.headerCount());
        assertEquals("Host=127.0.0.1;last-event-id=42;Authorization=Bearer tok;Origin=https://a.example;" +
            "Content-Length=3;Connection=keep-alive, close;", seen.toString());

        final UnsafeBuffer bareLf = buffer("GET /x HTTP/1.0\nA:\nB: \t2 \n\n");
        final HttpRequestParser lfParser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.COMPLETE, lfParser.parse(bareLf, bareLf.capacity()));
        final StringBuilder first = new StringBuilder();
        assertEquals(1, lfParser.forEachHeader(bareLf, (b, nameOffset, nameLength, valueOffset, valueLength) ->
        {
            first.append(text(b, nameOffset, nameLength)).append('=').append(text(b, valueOffset, valueLength));
            return false;
        }));
        assertEquals("A=", first.toString());
    }

    @Test
    void shouldAcceptBareLfAndAbsoluteFormAndHttp10()
    {
        final UnsafeBuffer buffer = buffer("POST http://h:1/events/t?id=1 HTTP/1.0\nConnection: keep-alive\n\n");
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, buffer.capacity()));
        assertEquals(HttpMethod.POST, parser.method());
        assertEquals("/events/t", text(buffer, parser.pathOffset(), parser.pathLength()));
        assertEquals("id=1", text(buffer, parser.queryOffset(), parser.queryLength()));
        assertFalse(parser.isHttp11());
        assertTrue(parser.isKeepAlive());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "' /x HTTP/1.1\r\n\r\n'|400|missing method",
        "'G(T /x HTTP/1.1\r\n\r\n'|400|malformed method",
        "'GET /x HTTP/2.0\r\n\r\n'|505|only HTTP/1.1 and HTTP/1.0 are supported",
        "'GET /x HTTQ/1.1\r\n\r\n'|400|malformed protocol version",
        "'GET /x HTTP/1.1\rX\n\r\n'|400|CR not followed by LF",
        "'GET /x HTTP/1.1\r\n : x\r\n\r\n'|400|obsolete line folding is not accepted",
        "'GET /x HTTP/1.1\r\n: x\r\n\r\n'|400|empty header name",
        "'GET /x HTTP/1.1\r\nA\u0001: x\r\n\r\n'|400|malformed header name",
        "'GET /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n'|400|invalid Content-Length",
        "'GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'|400|invalid Content-Length",
        "'POST /x HTTP/1.1\r\nContent-Length: 1025\r\n\r\n'|413|request body too large",
        "'POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n'|400|Transfer-Encoding must end with chunked",
        "'POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=1, gzip\r\n\r\n'|400|Transfer-Encoding must end with chunked",
        "'POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'|501|only the chunked transfer coding is supported",
        "'POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n'|400|chunked applied more than once",
        "'POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n'|400|both Transfer-Encoding and Content-Length",
        "'POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n'|400|Transfer-Encoding in an HTTP/1.0 request",
        "'GET /x HTTP/1.1\r\nAuthorization: a\r\nAuthorization: a\r\n\r\n'|400|more than one Authorization header",
        "'\rGET /x HTTP/1.1\r\n\r\n'|400|CR not followed by LF",
        "'GET x HTTP/1.1\r\n\r\n'|400|malformed request target",
    })
    void shouldRefuseMalformedRequestsWithStatusAndReason(final String request, final int status, final String reason)
    {
        final UnsafeBuffer buffer = buffer(request);
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.BAD_MESSAGE, parser.parse(buffer, buffer.capacity()));
        assertEquals(status, parser.errorStatus());
        assertEquals(reason, parser.errorReason());
        assertEquals(HttpRequestParser.State.BAD_MESSAGE, parser.state());
    }

    @Test
    void shouldRefuseNulInAHeaderValue()
    {
        final UnsafeBuffer buffer = buffer("GET /x HTTP/1.1\r\nA: x\u0000y\r\n\r\n");
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.BAD_MESSAGE, parser.parse(buffer, buffer.capacity()));
        assertEquals(400, parser.errorStatus());
        assertEquals("control character in header value", parser.errorReason());
    }

    @Test
    void shouldRefuseHeadsOverTheLimitWith431Or414()
    {
        final HttpRequestParser headers = new HttpRequestParser(64, 1024);
        final UnsafeBuffer big = buffer("GET /x HTTP/1.1\r\nX: " + "a".repeat(100) + "\r\n\r\n");
        assertEquals(HttpRequestParser.BAD_MESSAGE, headers.parse(big, big.capacity()));
        assertEquals(431, headers.errorStatus());

        final HttpRequestParser target = new HttpRequestParser(64, 1024);
        final UnsafeBuffer longTarget = buffer("GET /" + "a".repeat(100) + " HTTP/1.1\r\n\r\n");
        assertEquals(HttpRequestParser.BAD_MESSAGE, target.parse(longTarget, longTarget.capacity()));
        assertEquals(414, target.errorStatus());
    }

    @Test
    void shouldParseAgainAfterReset()
    {
        final UnsafeBuffer buffer = buffer("OPTIONS /events/t HTTP/1.1\r\nHost: x\r\n\r\n");
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, buffer.capacity()));
        parser.reset();
        assertEquals(HttpRequestParser.NEED_MORE, parser.parse(buffer, 5));
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, buffer.capacity()));
        assertEquals(HttpMethod.OPTIONS, parser.method());
        assertEquals(-1, parser.lastEventIdOffset());
        assertEquals(0, parser.queryLength());
    }

    @Test
    void shouldTellQueryApartAndRecordItsOneContentType()
    {
        final UnsafeBuffer buffer = buffer("QUERY /.well-known/mercure HTTP/1.1\r\nHost: x\r\n" +
            "Content-Type:  application/x-www-form-urlencoded ; charset=UTF-8 \r\nContent-Length: 7\r\n\r\nmatch=a");
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, buffer.capacity()));
        assertEquals(HttpMethod.QUERY, parser.method());
        assertEquals("application/x-www-form-urlencoded ; charset=UTF-8",
            text(buffer, parser.contentTypeOffset(), parser.contentTypeLength()));
        assertEquals(7, parser.bodyLength());

        final UnsafeBuffer twice = buffer("QUERY /q HTTP/1.1\r\nHost: x\r\nContent-Type: a/b\r\nContent-type: a/b\r\n\r\n");
        parser.reset();
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(twice, twice.capacity()));
        assertEquals(-1, parser.contentTypeOffset());
        assertEquals(0, parser.contentTypeLength());

        final UnsafeBuffer lowerCase = buffer("query /q HTTP/1.1\r\nHost: x\r\n\r\n");
        parser.reset();
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(lowerCase, lowerCase.capacity()));
        assertEquals(HttpMethod.OTHER, parser.method());
        assertEquals(-1, parser.contentTypeOffset());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: CHUNKED \r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: , chunked,\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n",
    })
    void shouldAcceptChunkedAsTheOnlyCodingAndStartItsDecoderAfterTheHead(final String head)
    {
        final UnsafeBuffer buffer = buffer(head);
        final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, buffer.capacity()));
        assertTrue(parser.isChunked());
        assertEquals(0, parser.contentLength());
        assertEquals(head.length(), parser.chunkedBody().bodyOffset());
        assertEquals(ChunkedBodyDecoder.State.SIZE_START, parser.chunkedBody().state());
        parser.reset();
        assertFalse(parser.isChunked());
    }

    @Test
    void shouldIgnoreEmptyLinesBeforeTheRequestLine()
    {
        final String request = "\r\n\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n";
        for (int piece = 1; piece <= request.length(); piece++)
        {
            final UnsafeBuffer buffer = buffer(request);
            final HttpRequestParser parser = new HttpRequestParser(8192, 1024);
            int result = HttpRequestParser.NEED_MORE;
            for (int limit = piece; result == HttpRequestParser.NEED_MORE; limit += piece)
            {
                result = parser.parse(buffer, Math.min(limit, request.length()));
            }
            assertEquals(HttpRequestParser.COMPLETE, result, "piece " + piece);
            assertEquals(HttpMethod.GET, parser.method());
            assertEquals("/x", text(buffer, parser.pathOffset(), parser.pathLength()));
            assertEquals(request.length(), parser.headLength());
        }

        final HttpRequestParser limited = new HttpRequestParser(64, 1024);
        final UnsafeBuffer onlyEmpty = buffer("\r\n".repeat(40));
        assertEquals(HttpRequestParser.BAD_MESSAGE, limited.parse(onlyEmpty, onlyEmpty.capacity()));
        assertEquals(400, limited.errorStatus());
        assertEquals("too many empty lines before the request line", limited.errorReason());
    }

    @Test
    void shouldIgnoreExpectContinueFromHttp10()
    {
        final HttpRequestParser http10 = new HttpRequestParser(8192, 1024);
        final UnsafeBuffer old = buffer("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n");
        assertEquals(HttpRequestParser.COMPLETE, http10.parse(old, old.capacity()));
        assertFalse(http10.expectsContinue());

        final HttpRequestParser http11 = new HttpRequestParser(8192, 1024);
        final UnsafeBuffer current = buffer("POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n");
        assertEquals(HttpRequestParser.COMPLETE, http11.parse(current, current.capacity()));
        assertTrue(http11.expectsContinue());
    }

    static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String text(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }
}
