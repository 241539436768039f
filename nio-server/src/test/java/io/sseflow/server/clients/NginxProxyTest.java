package io.sseflow.server.clients;

import io.sseflow.server.Refusal;
import io.sseflow.server.SseServer;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub behind a real nginx (Debian's {@code nginx-light} 1.22: TLS and HTTP/2 to clients, HTTP/1.1 to the
 * hub), configured as the README's recipe, with a certificate made by the test. nginx's upstream connections all
 * come from 127.0.0.1, a trusted proxy by default, so per-address limits count the clients nginx names in
 * {@code X-Forwarded-For}: 1,100 TLS streams from 110 loopback addresses (127.0.1.1..110, 10 each, the limit)
 * are all served; one more address opening limit + 3 streams gets 429 for exactly those 3.
 * <p>
 * Needs nginx ({@code apt-get install -y nginx-light}; skipped with a message without it, or point
 * {@code -Dsseflow.nginx=PATH} at one) and about 2,300 open files in this JVM (client and server sockets): the
 * open-file limit ({@code ulimit -n}) must be at least {@value #MIN_OPEN_FILES}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxProxyTest
{
    private static final String NGINX = System.getProperty("sseflow.nginx", "/usr/sbin/nginx");
    private static final int LIMIT_PER_ADDRESS = 10;
    private static final int ADDRESSES = 110;
    private static final int STREAMS = ADDRESSES * LIMIT_PER_ADDRESS;
    private static final int EXCESS = 3;
    private static final int MIN_OPEN_FILES = 4096;
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static Path directory;
    private static Process nginx;
    private static SseServer server;
    private static int nginxPort;
    private static SSLContext tls;

    @BeforeAll
    static void startServerAndNginx() throws Exception
    {
        assumeTrue(Files.isExecutable(Paths.get(NGINX)),
            NGINX + " is missing: install nginx with `apt-get update && apt-get install -y nginx-light` " +
            "(Debian/Ubuntu), or point -Dsseflow.nginx=PATH at an nginx binary, to run the nginx test");
        final long openFiles = openFileLimit();
        assertTrue(openFiles < 0 || openFiles >= MIN_OPEN_FILES, "the nginx test holds about 2,300 sockets in this " +
            "JVM: raise the open-file limit (ulimit -n) to at least " + MIN_OPEN_FILES + ", it is " + openFiles);

        directory = Files.createTempDirectory("sseflow-nginx");
        tls = makeCertificate(directory);
        server = SseServer.builder().port(0)
            .maxConnectionsPerAddress(LIMIT_PER_ADDRESS)
            .maxConnections(4 * STREAMS)
            .start();
        nginxPort = freePort();
        final Path config = directory.resolve("nginx.conf");
        Files.writeString(config, nginxConfig(directory, nginxPort, server.port()));
        nginx = new ProcessBuilder(NGINX, "-p", directory.toString(), "-c", config.toString(),
            "-e", directory.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("nginx.out").toFile())
            .start();
        awaitListening(nginxPort);
    }

    @AfterAll
    static void stopNginxAndServer() throws Exception
    {
        try
        {
            if (null != nginx)
            {
                nginx.destroy();
                if (!nginx.waitFor(10, TimeUnit.SECONDS))
                {
                    nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        finally
        {
            if (null != server)
            {
                server.close();
            }
            if (null != directory)
            {
                try (Stream<Path> files = Files.walk(directory))
                {
                    files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void shouldServeMoreThanAThousandClientsBehindOneNginxAndRefuseOnlyAClientsExcess() throws Exception
    {
        final List<TlsStream> streams = new ArrayList<>();
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try
        {
            final List<Future<TlsStream>> opening = new ArrayList<>();
            for (int address = 1; address <= ADDRESSES; address++)
            {
                for (int k = 0; k < LIMIT_PER_ADDRESS; k++)
                {
                    final String source = "127.0.1." + address;
                    opening.add(pool.submit(() -> TlsStream.open(source, nginxPort, "/events/proxied")));
                }
            }
            final Map<Integer, Integer> statuses = new TreeMap<>();
            for (final Future<TlsStream> future : opening)
            {
                final TlsStream stream = future.get(30, TimeUnit.SECONDS);
                streams.add(stream);
                statuses.merge(stream.status, 1, Integer::sum);
            }
            assertEquals(Map.of(200, STREAMS), statuses, "1,100 streams from 110 addresses through nginx");
            Await.value(() -> server.metrics().subscribers(), STREAMS, "subscribers");

            // one more client opens its limit and 3 more: only those 3 are refused
            final Map<Integer, Integer> overLimit = new TreeMap<>();
            for (int k = 0; k < LIMIT_PER_ADDRESS + EXCESS; k++)
            {
                final TlsStream stream = TlsStream.open("127.0.2.1", nginxPort, "/events/proxied");
                streams.add(stream);
                overLimit.merge(stream.status, 1, Integer::sum);
                if (stream.status == 429)
                {
                    assertTrue(stream.head.contains("\r\nRetry-After: 1\r\n"), stream.head);
                    assertEquals("too many connections from this address\n", stream.readBody());
                }
            }
            assertEquals(Map.of(200, LIMIT_PER_ADDRESS, 429, EXCESS), overLimit, "limit + 3 streams from 127.0.2.1");
            assertEquals(EXCESS, server.metrics().refused(Refusal.ADDRESS_LIMIT));
            Await.value(() -> server.metrics().subscribers(), STREAMS + LIMIT_PER_ADDRESS, "subscribers");

            // a local publisher (127.0.0.1, no forwarding header) is not refused, and every stream gets the event
            assertEquals("HTTP/1.1 200 OK", publishDirectly("proxied", "through-nginx"));
            int received = 0;
            for (final TlsStream stream : streams)
            {
                if (stream.status == 200)
                {
                    stream.awaitData("through-nginx");
                    received++;
                }
            }
            assertEquals(STREAMS + LIMIT_PER_ADDRESS, received);
            System.out.println("nginx test: " + STREAMS + " streams from " + ADDRESSES + " addresses: " + statuses +
                "; 127.0.2.1 opening " + (LIMIT_PER_ADDRESS + EXCESS) + ": " + overLimit + "; event received by " +
                received + " streams");
        }
        finally
        {
            pool.shutdownNow();
            for (final TlsStream stream : streams)
            {
                stream.close();
            }
        }
        // nginx closes its upstream connections as the clients go: every per-address count is released
        Await.value(() -> server.metrics().subscribers(), 0, "subscribers after close");
        try (TlsStream again = TlsStream.open("127.0.2.1", nginxPort, "/events/proxied"))
        {
            assertEquals(200, again.status, again.head);
        }
    }

    @Test
    void shouldStreamOverHttp2ThroughNginx() throws Exception
    {
        final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(tls)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
        final CompletableFuture<HttpResponse<InputStream>> sent = client.sendAsync(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + nginxPort + "/events/h2"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
        // nginx 1.22 sends an HTTP/2 response's HEADERS frame with its first DATA: here the first event
        Await.atLeast(() -> server.metrics().subscribers(), 1, "the HTTP/2 subscriber at the hub");
        assertEquals("HTTP/1.1 200 OK", publishDirectly("h2", "over-http2"));
        final HttpResponse<InputStream> response = sent.get(20, TimeUnit.SECONDS);
        try (InputStream body = response.body())
        {
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
            final BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            int lines = 0;
            while (null != (line = reader.readLine()) && !"data: over-http2".equals(line))
            {
                assertTrue(++lines < 100, "no event in the first 100 lines");
            }
            assertEquals("data: over-http2", line);
        }
        // the stream's end reaches the hub through nginx
        Await.value(() -> server.metrics().subscribers(), 0, "subscribers after the HTTP/2 stream ended");
    }

    /**
     * The nginx configuration: the README's recipe (nginx 1.22 syntax), with ports and paths of this test.
     */
    static String nginxConfig(final Path directory, final int listenPort, final int upstreamPort)
    {
        final String dir = directory.toString();
        return String.join("\n",
            "daemon off;",
            "worker_processes 1;",
            "worker_rlimit_nofile 8192;",
            "root".equals(System.getProperty("user.name")) ? "user root;" : "",
            "pid " + dir + "/nginx.pid;",
            "error_log " + dir + "/error.log warn;",
            "events { worker_connections 4096; }",
            "http {",
            "    access_log off;",
            "    client_body_temp_path " + dir + "/client_body;",
            "    proxy_temp_path " + dir + "/proxy;",
            "    fastcgi_temp_path " + dir + "/fastcgi;",
            "    uwsgi_temp_path " + dir + "/uwsgi;",
            "    scgi_temp_path " + dir + "/scgi;",
            "",
            "    upstream sseflow { server 127.0.0.1:" + upstreamPort + "; keepalive 16; }",
            "",
            "    server {",
            "        listen 127.0.0.1:" + listenPort + " ssl http2;",
            "        server_name localhost;",
            "        ssl_certificate     " + dir + "/tls.crt;",
            "        ssl_certificate_key " + dir + "/tls.key;",
            "",
            "        location /events/ {",
            "            proxy_pass http://sseflow;",
            "            proxy_http_version 1.1;",
            "            proxy_set_header Connection \"\";",
            "            proxy_buffering off;",
            "            proxy_cache off;",
            "            gzip off;",
            "            proxy_read_timeout 1h;",
            "            proxy_set_header Host $host;",
            "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "        }",
            "",
            "        location / {",
            "            proxy_pass http://sseflow;",
            "            proxy_http_version 1.1;",
            "            proxy_set_header Connection \"\";",
            "            proxy_set_header Host $host;",
            "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "        }",
            "    }",
            "}",
            "");
    }

    private static SSLContext makeCertificate(final Path directory) throws Exception
    {
        final Path keyStorePath = directory.resolve("tls.p12");
        final Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        final Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "nginx",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
            "-keystore", keyStorePath.toString(), "-storetype", "PKCS12",
            "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool: " + output);

        final KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStorePath))
        {
            keyStore.load(in, PASSWORD);
        }
        final PrivateKey key = (PrivateKey)keyStore.getKey("nginx", PASSWORD);
        final Certificate certificate = keyStore.getCertificate("nginx");
        Files.writeString(directory.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(directory.resolve("tls.crt"), pem("CERTIFICATE", certificate.getEncoded()));

        final KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("nginx", certificate);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" +
            Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }

    private static void awaitListening(final int port) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true)
        {
            if (!nginx.isAlive())
            {
                fail("nginx exited with " + nginx.exitValue() + ": " + logs());
            }
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            }
            catch (final IOException notYet)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("nginx did not listen on " + port + " within 15 s: " + logs());
                }
                Await.pause(20);
            }
        }
    }

    private static String logs() throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (final String name : new String[]{"nginx.out", "error.log"})
        {
            final Path path = directory.resolve(name);
            if (Files.exists(path))
            {
                text.append('\n').append(name).append(":\n").append(Files.readString(path));
            }
        }
        return text.toString();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static long openFileLimit()
    {
        try
        {
            for (final String line : Files.readAllLines(Paths.get("/proc/self/limits")))
            {
                if (line.startsWith("Max open files"))
                {
                    final String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        return -1;
    }

    private static String publishDirectly(final String topic, final String data) throws IOException
    {
        return RawHttp.status(RawHttp.post(server.port(), "/events/" + topic, data));
    }

    /**
     * One HTTP/1.1 request over TLS to nginx from a chosen loopback source address: the response head, then the
     * body with nginx's chunked framing removed.
     */
    private static final class TlsStream implements AutoCloseable
    {
        private final SSLSocket socket;
        private final InputStream in;
        private final String head;
        private final int status;
        private final boolean chunked;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        private TlsStream(final SSLSocket socket, final InputStream in, final String head)
        {
            this.socket = socket;
            this.in = in;
            this.head = head;
            this.status = Integer.parseInt(head.substring(9, 12));
            this.chunked = head.toLowerCase(java.util.Locale.ROOT).contains("\r\ntransfer-encoding: chunked\r\n");
        }

        static TlsStream open(final String source, final int port, final String path) throws IOException
        {
            final Socket plain = new Socket();
            try
            {
                plain.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                plain.setSoTimeout(15_000);
                final SSLSocket socket = (SSLSocket)tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
                socket.startHandshake();
                final OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
                final StringBuilder head = new StringBuilder();
                while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4)
                {
                    final int b = in.read();
                    if (b < 0 || head.length() > 8192)
                    {
                        throw new IOException("no response head from nginx for " + source + ": " + head);
                    }
                    head.append((char)b);
                }
                return new TlsStream(socket, in, head.toString());
            }
            catch (final IOException | RuntimeException ex)
            {
                plain.close();
                throw ex;
            }
        }

        /**
         * Read body bytes until this text has arrived on a {@code data:} line.
         */
        void awaitData(final String data) throws IOException
        {
            final String line = "data: " + data + "\n";
            while (!body.toString(StandardCharsets.UTF_8).contains(line))
            {
                readMore();
            }
        }

        /**
         * The whole body of a response with a length or chunked, until its end.
         */
        String readBody() throws IOException
        {
            final String lower = head.toLowerCase(java.util.Locale.ROOT);
            final int at = lower.indexOf("\r\ncontent-length: ");
            if (at >= 0)
            {
                final int length = Integer.parseInt(lower.substring(at + 18, lower.indexOf("\r\n", at + 2)).trim());
                return new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            while (readMore())
            {
                // until the last chunk
            }
            return body.toString(StandardCharsets.UTF_8);
        }

        private boolean readMore() throws IOException
        {
            if (!chunked)
            {
                final byte[] bytes = new byte[4096];
                final int n = in.read(bytes);
                if (n < 0)
                {
                    throw new IOException("EOF; body so far: " + body);
                }
                body.write(bytes, 0, n);
                return true;
            }
            final String sizeLine = line();
            final int semicolon = sizeLine.indexOf(';');
            final int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0)
            {
                line();
                return false;
            }
            body.write(in.readNBytes(size));
            if (!line().isEmpty())
            {
                throw new IOException("chunk not followed by CRLF");
            }
            return true;
        }

        private String line() throws IOException
        {
            final StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n')
            {
                if (b < 0)
                {
                    throw new IOException("EOF in chunked body; body so far: " + body);
                }
                if (b != '\r')
                {
                    line.append((char)b);
                }
            }
            return line.toString();
        }

        public void close() throws IOException
        {
            socket.close();
        }
    }
}
