package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.support.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Periodic snapshots and the log they make redundant: a one-member cluster snapshotting every 200 events, fed
 * ~38 MiB of log in 1 MiB archive segments, keeps its data dir under 17 MiB once it has run a few
 * rounds (apparent sizes; the fixed files, mark files, node state and catalog, are ~5 MiB of it), since the log
 * segments before the previous snapshot and the old snapshot recordings are deleted, and once restarted from the latest snapshot it still has the retained events
 * from before it, ids continuing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotPurgeTest
{
    private static final int ROUNDS = 40;
    private static final int EVENTS_PER_ROUND = 400;
    private static final String DATA = "d".repeat(2500);

    private final SingleMember member = new SingleMember("snapshots");
    private final PublishClaim claim = new PublishClaim();

    @AfterEach
    void cleanUp()
    {
        member.close();
    }

    @Test
    void shouldKeepTheDataDirBoundedAcrossSnapshotsAndResumeFromTheLatest()
    {
        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer sequencer = member.start(topics, 1 << 22, SnapshotPurgeTest::configure);
        final ClusterTestSupport.Recorder recorder = new ClusterTestSupport.Recorder(topics);
        final List<Long> sizes = new ArrayList<>();
        int published = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final int snapshotsBefore = sequencer.snapshotsTaken();
            for (int i = 0; i < EVENTS_PER_ROUND; i++)
            {
                published++;
                final int n = published;
                Await.condition(() ->
                {
                    sequencer.poll(recorder, 256);
                    return PublishResult.OK ==
                        ClusterTestSupport.publish(sequencer, claim, topics, "t", n, null, n + " " + DATA);
                }, "publish " + n + " taken", Duration.ofSeconds(20));
            }
            final int expected = published;
            Await.condition(() ->
            {
                sequencer.poll(recorder, 256);
                return recorder.events.size() == expected;
            }, expected + " events applied", Duration.ofSeconds(30));
            Await.condition(() ->
            {
                sequencer.poll(recorder, 256);
                return sequencer.snapshotsTaken() > snapshotsBefore;
            }, "a snapshot in round " + round, Duration.ofSeconds(30));
            sizes.add(bytesUnder(member.dataDir.toPath()));
        }
        final long logBytes = (long)published * DATA.length();
        System.out.println("snapshots: " + sequencer.snapshotsTaken() + " for " + published + " events (" +
            logBytes / (1024 * 1024) + " MiB of data); data dir bytes after each round: " + sizes);
        final long bound = 17L * 1024 * 1024;
        for (int round = 4; round < ROUNDS; round++)
        {
            assertTrue(sizes.get(round) <= bound, "data dir after round " + round + ": " + sizes + "; files: " +
                listing(member.dataDir.toPath()) + "; errors: " + member.errors);
        }
        assertTrue(logBytes > 2 * bound, "the test wrote more log than the bound: " + logBytes);

        member.stop();
        final ClusterTestSupport.Topics restartedTopics = new ClusterTestSupport.Topics();
        final ClusterEventSequencer restarted = member.start(restartedTopics, 1 << 22, SnapshotPurgeTest::configure);
        final ClusterTestSupport.Recorder restored = new ClusterTestSupport.Recorder(restartedTopics);
        final String newest = recorder.events.get(recorder.events.size() - 1);
        Await.condition(() ->
        {
            restarted.poll(restored, 256);
            return !restored.events.isEmpty() && newest.equals(restored.events.get(restored.events.size() - 1));
        }, "retained events restored up to the newest", Duration.ofSeconds(30));
        final int count = restored.events.size();
        assertEquals(recorder.events.subList(published - count, published), restored.events,
            "the retained events from the snapshot, then the log after it");
        assertTrue(count >= 8 && count <= 8 + 200 + EVENTS_PER_ROUND, "restored from the snapshot, not the whole log: " +
            count + " events");
        assertEquals(PublishResult.OK, ClusterTestSupport.publish(
            restarted, claim, restartedTopics, "t", 1, null, "after restart"));
        Await.condition(() ->
        {
            restarted.poll(restored, 256);
            return restored.answers.size() == 1;
        }, "publish after restart answered", Duration.ofSeconds(20));
        assertEquals(List.of("corr=1 id=" + (published + 1)), restored.answers);
        assertEquals(List.of(), member.errors);
    }

    private static ClusterSettings configure(final ClusterSettings settings)
    {
        return settings.limits(4, 8).snapshots(200, TimeUnit.MINUTES.toMillis(10)).archiveSegmentLength(1024 * 1024);
    }

    private static long bytesUnder(final Path dir)
    {
        return regularFiles(dir).stream().mapToLong(SnapshotPurgeTest::allocatedBytes).sum();
    }

    /**
     * The files under a directory the purger may be deleting from meanwhile: a file gone between listing and
     * reading is skipped, not an error.
     */
    private static List<Path> regularFiles(final Path dir)
    {
        final List<Path> found = new ArrayList<>();
        try
        {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
                {
                    if (attributes.isRegularFile())
                    {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult visitFileFailed(final Path file, final IOException ex) throws IOException
                {
                    if (ex instanceof NoSuchFileException)
                    {
                        return FileVisitResult.CONTINUE;
                    }
                    throw ex;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return found;
    }

    private static String listing(final Path dir)
    {
        return regularFiles(dir).stream()
            .map(file -> dir.relativize(file) + "=" + allocatedBytes(file))
            .collect(java.util.stream.Collectors.joining(", "));
    }

    private static long allocatedBytes(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
