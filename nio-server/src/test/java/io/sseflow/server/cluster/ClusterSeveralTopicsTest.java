package io.sseflow.server.cluster;

import io.sseflow.server.ServerConfig;
import io.sseflow.server.SseServer;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.RawHttp;
import io.sseflow.server.support.RawSseClient;
import io.sseflow.server.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Mercure update of several topics on a clustered hub: published on one member, every member delivers it with the
 * same id and the same bytes as the in-memory hub does, to each kind of subscriber (a Mercure subscriber of one of its
 * topics, a Mercure URI template, the same two as Mercure 1.0 matchers, a stream of several topics, each topic's
 * own stream); {@code Last-Event-ID} resumes
 * exactly on another member; a one-member durable hub keeps it through a snapshot and a restart, ids continuing.
 * Three servers in this process, each a cluster member with its own driver, archive, data dir and ports on loopback.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterSeveralTopicsTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";
    private static final String U = "https://example.com/u/1";

    /**
     * Each subscriber's path, and the frames it receives for {@link #publishScript} (then the generated update).
     */
    private static final Map<String, String> SCRIPT_FRAMES = new LinkedHashMap<>();

    static
    {
        SCRIPT_FRAMES.put("/events/A",
            "id: 1\ndata: a1\n\n" + "id: 7\ndata: both\n\n" + "id: 8\ndata: a2\n\n" + "event: note\nid: m-2\ndata: text\n\n");
        SCRIPT_FRAMES.put("/events/B",
            "id: 7\ndata: both\n\n" + "id: 8\ndata: b1\n\n" + "event: note\nid: m-2\ndata: text\n\n");
        SCRIPT_FRAMES.put("/events?topic=A&topic=B",
            "id: 1\ndata: a1\n\n" + "id: 7\ndata: both\n\n" + "id: 3\ndata: b1\n\n" + "id: 4\ndata: a2\n\n" +
            "event: note\nid: m-2\ndata: text\n\n");
        SCRIPT_FRAMES.put("/.well-known/mercure?topic=A",
            "id: 1\ndata: a1\n\n" + "id: 7\ndata: both\n\n" + "id: 4\ndata: a2\n\n" + "event: note\nid: m-2\ndata: text\n\n");
        SCRIPT_FRAMES.put("/.well-known/mercure?topic=" + encode("https://example.com/u/{id}"),
            "id: 7\ndata: both\n\n" + "id: end\ndata: end\n\n");
        // Mercure 1.0's matchers: the same frames as the pre-standardization selectors of the same topics
        SCRIPT_FRAMES.put("/.well-known/mercure?match=A",
            "id: 1\ndata: a1\n\n" + "id: 7\ndata: both\n\n" + "id: 4\ndata: a2\n\n" + "event: note\nid: m-2\ndata: text\n\n");
        SCRIPT_FRAMES.put("/.well-known/mercure?match_urlpattern=" + encode("https://example.com/u/:id"),
            "id: 7\ndata: both\n\n" + "id: end\ndata: end\n\n");
    }

    private final List<File> dataDirs = new ArrayList<>();
    private final List<String> aeronDirs = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<SseServer> servers = new ArrayList<>();
    private final List<RawSseClient> clients = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final RawSseClient client : clients)
        {
            client.close();
        }
        for (final SseServer server : servers)
        {
            server.close();
        }
        dataDirs.forEach(ClusterTestSupport::delete);
        aeronDirs.forEach(dir -> ClusterTestSupport.delete(new File(dir)));
    }

    @Test
    void shouldDeliverAnUpdateOfSeveralTopicsOnEveryMemberAsTheInMemoryHubDoes() throws Exception
    {
        final int base = ClusterTestSupport.freeBasePort(3 * ClusterSettings.PORTS_PER_MEMBER);
        final List<String> members = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            members.add("127.0.0.1:" + (base + i * ClusterSettings.PORTS_PER_MEMBER));
            dataDirs.add(ClusterTestSupport.tempDir("sseflow-several-" + i + "-"));
        }
        final ClusterEventSequencer[] sequencers = new ClusterEventSequencer[3];
        final SseServer[] nodes = new SseServer[3];
        for (int i = 0; i < 3; i++)
        {
            final ClusterSettings settings = new ClusterSettings(dataDirs.get(i), members, i)
                .aeronDirectoryName(aeronDir("several" + i))
                .limits(16, 64);
            nodes[i] = member(settings, sequencers, i);
        }
        final SseServer inMemory = SseServer.builder().host("127.0.0.1").port(0).history(64).start();
        servers.add(inMemory);
        Await.condition(() -> sequencers[0].isReady() && sequencers[1].isReady() && sequencers[2].isReady(),
            "members ready", WAIT);

        final List<List<RawSseClient>> subscribers = new ArrayList<>();
        for (int s = 0; s < servers.size(); s++)
        {
            subscribers.add(subscribeAll(servers.get(s), s));
        }
        final int publisher = followerOf(sequencers);
        final int other = (publisher + 1) % 3;
        publishScript(nodes[publisher]);
        publishScript(inMemory);
        final String generated = publishGenerated(nodes[other]);
        final String generatedInMemory = publishGenerated(inMemory);

        for (int s = 0; s < servers.size(); s++)
        {
            final boolean isInMemory = servers.get(s) == inMemory;
            final String frame = "id: " + (isInMemory ? generatedInMemory : generated) + "\ndata: generated\n\n";
            int c = 0;
            for (final Map.Entry<String, String> expected : SCRIPT_FRAMES.entrySet())
            {
                final String bytes = expected.getValue() + (expected.getKey().contains("example.com") ? "" : frame);
                assertEquals(bytes, subscribers.get(s).get(c++).readBytes(bytes.length()),
                    (isInMemory ? "in-memory hub" : "member " + s) + ", " + expected.getKey());
            }
        }

        for (final SseServer server : List.of(nodes[other], nodes[(publisher + 2) % 3], inMemory))
        {
            final String name = server == inMemory ? "in-memory hub" : "member " + servers.indexOf(server);
            final String frame = "id: " + (server == inMemory ? generatedInMemory : generated) + "\ndata: generated\n\n";
            final String after7 = "id: 8\ndata: a2\n\n" + "event: note\nid: m-2\ndata: text\n\n" + frame;
            assertStream(server, "/events/A", after7, name, "Last-Event-ID: 7");
            assertStream(server, "/events?topic=B&topic=A", "id: 3\ndata: b1\n\n" + "id: 4\ndata: a2\n\n" +
                "event: note\nid: m-2\ndata: text\n\n" + frame, name, "Last-Event-ID: 7");
            assertStream(server, "/.well-known/mercure?topic=B&lastEventID=7",
                "id: 3\ndata: b1\n\n" + "event: note\nid: m-2\ndata: text\n\n" + frame, name);
            assertStream(server, "/.well-known/mercure?topic=" + encode(U) + "&lastEventID=earliest",
                "id: 7\ndata: both\n\n" + "id: end\ndata: end\n\n", name);
            assertStream(server, "/.well-known/mercure?match=B&last_event_id=7",
                "id: 3\ndata: b1\n\n" + "event: note\nid: m-2\ndata: text\n\n" + frame, name);
            assertStream(server, "/.well-known/mercure?match_urlpattern=" + encode("https://example.com/u/:id") +
                "&last_event_id=earliest", "id: 7\ndata: both\n\n" + "id: end\ndata: end\n\n", name);
        }
        for (final SseServer node : nodes)
        {
            assertEquals(0, node.metrics().get(io.sseflow.server.ServerCounter.REPLAY_MISSES));
        }
        assertEquals(List.of(), errorTexts());
    }

    @Test
    void shouldKeepAnUpdateOfSeveralTopicsThroughASnapshotAndARestart() throws Exception
    {
        final File dataDir = ClusterTestSupport.tempDir("sseflow-several-durable-");
        dataDirs.add(dataDir);
        final int basePort = ClusterTestSupport.freeBasePort(ClusterSettings.PORTS_PER_MEMBER);
        final ClusterEventSequencer[] sequencer = new ClusterEventSequencer[1];
        SseServer node = member(ClusterSettings.singleNode(dataDir, basePort).aeronDirectoryName(aeronDir("durable"))
            .limits(16, 64), sequencer, 0);
        Await.condition(() -> sequencer[0].isReady(), "durable node ready", WAIT);
        final RawSseClient firstLifeOnly = RawSseClient.get(node.port(), "/events/Z");
        clients.add(firstLifeOnly);
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(firstLifeOnly.readHead()), "Z takes index 0 before the restart");
        publishScript(node);
        Await.condition(sequencer[0]::requestSnapshot, "snapshot taken", WAIT);
        Await.condition(() -> sequencer[0].snapshotsTaken() >= 1, "snapshot written", WAIT);
        assertEquals("after", RawHttp.body(mercure(node, "topic=B&topic=A&id=after&data=after+the+snapshot")));
        node.close();
        servers.remove(node);

        node = member(ClusterSettings.singleNode(dataDir, basePort).aeronDirectoryName(aeronDir("durable-again"))
            .limits(16, 64), sequencer, 0);
        final ClusterEventSequencer restarted = sequencer[0];
        Await.condition(() -> restarted.isReady() && restarted.appliedSeq() == 7, "restarted node replayed", WAIT);
        final String after = "id: after\ndata: after the snapshot\n\n";
        final String note = "event: note\nid: m-2\ndata: text\n\n";
        assertStream(node, "/events/A", "id: 7\ndata: both\n\n" + "id: 8\ndata: a2\n\n" + note + after,
            "restarted", "Last-Event-ID: 1");
        assertStream(node, "/events/B", "id: 8\ndata: b1\n\n" + note + after, "restarted", "Last-Event-ID: 7");
        assertStream(node, "/events?topic=A&topic=B",
            "id: 7\ndata: both\n\n" + "id: 3\ndata: b1\n\n" + "id: 4\ndata: a2\n\n" + note + after, "restarted",
            "Last-Event-ID: 1");
        assertStream(node, "/.well-known/mercure?topic=A&lastEventID=earliest",
            "id: 1\ndata: a1\n\n" + "id: 7\ndata: both\n\n" + "id: 4\ndata: a2\n\n" + note + after, "restarted");
        assertEquals("9\n", RawHttp.body(RawHttp.post(node.port(), "/events/A", "a3")), "A's ids continue after 8");
        assertEquals("9\n", RawHttp.body(RawHttp.post(node.port(), "/events/B", "b2")), "B's ids continue after 8");
        assertEquals("after", RawHttp.body(mercure(node, "topic=A&topic=B&id=after&data=retried")),
            "a retried update is answered with its id");
        assertStream(node, "/events?topic=A&topic=B", "id: 8\ndata: a3\n\n" + "id: 9\ndata: b2\n\n", "restarted",
            "Last-Event-ID: after");
        assertEquals(List.of(), errorTexts());
    }

    @Test
    void shouldDecideIdsOnADurableNodeAsTheInMemoryHubDoes() throws Exception
    {
        final File dataDir = ClusterTestSupport.tempDir("sseflow-several-ids-");
        dataDirs.add(dataDir);
        final ClusterEventSequencer[] sequencer = new ClusterEventSequencer[1];
        final SseServer node = member(ClusterSettings.singleNode(
            dataDir, ClusterTestSupport.freeBasePort(ClusterSettings.PORTS_PER_MEMBER))
            .aeronDirectoryName(aeronDir("ids")).limits(16, 64), sequencer, 0);
        Await.condition(() -> sequencer[0].isReady(), "durable node ready", WAIT);

        final String poison = RawHttp.post(node.port(), "/events/t?id=999999999999999999", "poison");
        assertEquals("HTTP/1.1 400 Bad Request", RawHttp.status(poison), poison);
        assertEquals("1\n", RawHttp.body(RawHttp.post(node.port(), "/events/t", "a")));
        assertEquals("7000", RawHttp.body(mercure(node, "topic=t&id=7000&data=secret&private=on")));
        assertEquals("2\n", RawHttp.body(RawHttp.post(node.port(), "/events/t", "b")), "no private id in t's counter");
        final String privateRetry = mercure(node, "topic=t&id=7000&data=secret&private=on");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(privateRetry), privateRetry);
        assertEquals("7000", RawHttp.body(privateRetry));

        assertEquals("x", RawHttp.body(mercure(node, "topic=t1&id=x&data=on-t1")));
        final String onlyT1 = mercure(node, "topic=t1&topic=t2&id=x&data=both");
        assertEquals("HTTP/1.1 409 Conflict", RawHttp.status(onlyT1), onlyT1);
        final String t2First = mercure(node, "topic=t2&topic=t1&id=x&data=both");
        assertEquals("HTTP/1.1 409 Conflict", RawHttp.status(t2First), t2First);
        assertEquals("y", RawHttp.body(mercure(node, "topic=t1&topic=t2&id=y&data=both")));
        assertEquals("y", RawHttp.body(mercure(node, "topic=t2&topic=t1&id=y&data=both")), "a retry, topics reordered");

        Await.value(() -> node.metrics().eventsPublished(), 5, "published");
        assertEquals(2, node.metrics().refused(io.sseflow.server.Refusal.ID_CONFLICT));
        assertStream(node, "/.well-known/mercure?topic=t2&lastEventID=earliest", "id: y\ndata: both\n\n", "durable");
        assertStream(node, "/.well-known/mercure?topic=t1&lastEventID=earliest",
            "id: x\ndata: on-t1\n\n" + "id: y\ndata: both\n\n", "durable");
        assertEquals(List.of(), errorTexts());
    }

    @Test
    void shouldRefuseAnUpdateWhoseTopicNamesDoNotFitTheClusterLogAs413() throws Exception
    {
        final File dataDir = ClusterTestSupport.tempDir("sseflow-several-large-");
        dataDirs.add(dataDir);
        final ClusterEventSequencer[] sequencer = new ClusterEventSequencer[1];
        final SseServer node = member(ClusterSettings.singleNode(
            dataDir, ClusterTestSupport.freeBasePort(ClusterSettings.PORTS_PER_MEMBER))
            .aeronDirectoryName(aeronDir("large")).limits(128, 16), sequencer, 0, 256 * 1024);
        Await.condition(() -> sequencer[0].isReady(), "durable node ready", WAIT);
        final StringBuilder form = new StringBuilder();
        for (int i = 0; i < 70; i++)
        {
            form.append("topic=").append(String.format("%04d", i)).append("t".repeat(1996)).append('&');
        }
        final String refused = mercure(node, form + "id=big&data=x");
        assertEquals("HTTP/1.1 413 Content Too Large", RawHttp.status(refused), refused);
        assertEquals(0, node.metrics().eventsPublished());
        assertEquals("small", RawHttp.body(mercure(node, "topic=0000" + "t".repeat(1996) + "&topic=b&id=small&data=x")));
        Await.value(() -> node.metrics().eventsPublished(), 1, "published");
        assertEquals(List.of(), errorTexts());
    }

    private SseServer member(final ClusterSettings settings, final ClusterEventSequencer[] sequencers, final int i)
    {
        return member(settings, sequencers, i, ServerConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    private SseServer member(
        final ClusterSettings settings, final ClusterEventSequencer[] sequencers, final int i, final int maxEventBytes)
    {
        final SseServer server = SseServer.builder()
            .host("127.0.0.1")
            .port(0)
            .history(64)
            .maxEventBytes(maxEventBytes)
            .eventSequencer((capacity) ->
            {
                sequencers[i] = new ClusterEventSequencer(settings, capacity, errors::add,
                    new PrintStream(System.out, true));
                return sequencers[i];
            })
            .start();
        servers.add(server);
        return server;
    }

    private String aeronDir(final String name)
    {
        final String dir = ClusterTestSupport.aeronDir(name);
        aeronDirs.add(dir);
        return dir;
    }

    /**
     * A subscriber of each path of {@link #SCRIPT_FRAMES}, in that order in the list, but subscribed starting at the
     * {@code rotation}th path: topics are created in another order on each server, so their indexes differ.
     */
    private List<RawSseClient> subscribeAll(final SseServer server, final int rotation) throws Exception
    {
        final List<String> paths = new ArrayList<>(SCRIPT_FRAMES.keySet());
        final RawSseClient[] opened = new RawSseClient[paths.size()];
        for (int i = 0; i < paths.size(); i++)
        {
            final int p = (i + rotation) % paths.size();
            final RawSseClient client = RawSseClient.get(server.port(), paths.get(p));
            clients.add(client);
            opened[p] = client;
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(client.readHead()), paths.get(p));
        }
        Servers.awaitSubscribers(server, paths.size());
        return List.of(opened);
    }

    /**
     * Native events and Mercure updates of several topics, each answered before the next: seq 1 to 6.
     */
    private static void publishScript(final SseServer server) throws Exception
    {
        assertEquals("1\n", RawHttp.body(RawHttp.post(server.port(), "/events/A", "a1")));
        assertEquals("7", RawHttp.body(mercure(server, "topic=A&topic=B&topic=" + encode(U) + "&id=7&data=both")));
        assertEquals("8\n", RawHttp.body(RawHttp.post(server.port(), "/events/B", "b1")), "B counts from the update's 7");
        assertEquals("8\n", RawHttp.body(RawHttp.post(server.port(), "/events/A", "a2")));
        assertEquals("m-2", RawHttp.body(mercure(server, "topic=B&topic=A&id=m-2&type=note&data=text")));
        assertEquals("end", RawHttp.body(mercure(server, "topic=" + encode(U) + "&id=end&data=end")));
    }

    private static String publishGenerated(final SseServer server) throws Exception
    {
        final String answer = mercure(server, "topic=A&topic=B&data=generated");
        assertEquals("HTTP/1.1 200 OK", RawHttp.status(answer), answer);
        final String id = RawHttp.body(answer);
        assertTrue(id.startsWith("urn:uuid:"), id);
        return id;
    }

    private static String mercure(final SseServer server, final String form) throws Exception
    {
        return RawHttp.post(server.port(), "/.well-known/mercure", form, FORM);
    }

    private static void assertStream(
        final SseServer server, final String path, final String expected, final String what, final String... headers)
        throws Exception
    {
        try (RawSseClient client = RawSseClient.get(server.port(), path, headers))
        {
            assertEquals("HTTP/1.1 200 OK", RawHttp.status(client.readHead()), what + ", " + path);
            assertEquals(expected, client.readBytes(expected.length()), what + ", " + path);
        }
    }

    private static int followerOf(final ClusterEventSequencer[] sequencers)
    {
        for (int i = 0; i < sequencers.length; i++)
        {
            if (sequencers[i].role() != io.aeron.cluster.service.Cluster.Role.LEADER)
            {
                return i;
            }
        }
        throw new AssertionError("no follower");
    }

    private List<String> errorTexts()
    {
        final List<String> texts = new ArrayList<>();
        errors.forEach((error) -> texts.add(String.valueOf(error)));
        return texts;
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
