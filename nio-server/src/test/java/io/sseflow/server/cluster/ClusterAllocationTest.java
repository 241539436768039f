package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.SequencedEventHandler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bytes allocated per event in steady state on the clustered service's thread and on the thread that polls the
 * sequencer (the server agent's, here the test's, which also publishes through pre-encoded records): every other event
 * is a record of three topics (a Mercure update, its further topics sent by name).
 */
class ClusterAllocationTest
{
    private final File dataDir = ClusterTestSupport.tempDir("sseflow-cluster-alloc-");
    private final String aeronDir = ClusterTestSupport.aeronDir("alloc");
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final PublishClaim claim = new PublishClaim();
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer severalTopics = new ExpandableArrayBuffer(256);
    private final PublishRecord deliveredRecord = new PublishRecord();
    private int severalTopicsLength;
    private int[] severalTopicIndexes;
    private ClusterEventSequencer sequencer;
    private long delivered;
    private long deliveredSeveral;
    private long wrongTopics;
    private final SequencedEventHandler counter = new SequencedEventHandler()
    {
        public void onEvent(
            final DirectBuffer buffer, final int recordOffset, final int recordLength, final long seq, final long numericId)
        {
            delivered++;
            final PublishRecord record = deliveredRecord.wrap(buffer, recordOffset);
            if (record.moreTopicCount() > 0)
            {
                deliveredSeveral++;
                if (record.topicIndex() != severalTopicIndexes[0] || record.moreTopicCount() != 2 ||
                    record.moreTopic(0) != severalTopicIndexes[1] || record.moreTopic(1) != severalTopicIndexes[2])
                {
                    wrongTopics++;
                }
            }
        }
    };

    @AfterEach
    void cleanUp()
    {
        if (null != sequencer)
        {
            sequencer.close();
        }
        ClusterTestSupport.delete(dataDir);
        ClusterTestSupport.delete(new File(aeronDir));
    }

    @Test
    void shouldNotAllocatePerEventOnTheServiceOrThePollingThread()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final ClusterTestSupport.Topics topics = new ClusterTestSupport.Topics();
        final int topicIndex = topics.indexOf("alloc");
        final int recordLength = ClusterRecords.putPublishRecord(record, 0, 0, topicIndex, null, "price update 12.50");
        severalTopicIndexes = new int[]{
            topicIndex, topics.indexOf("alloc-b"), topics.indexOf("https://example.com/alloc/c") };
        severalTopicsLength = ClusterRecords.putSeveralTopicsRecord(severalTopics, 0, 0, severalTopicIndexes[0],
            new int[]{ severalTopicIndexes[1], severalTopicIndexes[2] }, null, "price update 12.50");
        sequencer = new ClusterEventSequencer(
            ClusterSettings.singleNode(dataDir, ClusterTestSupport.freeBasePort(ClusterSettings.PORTS_PER_MEMBER))
                .aeronDirectoryName(aeronDir).limits(4, 1024),
            1 << 20, errors::add, new PrintStream(System.out, true)).topicDirectory(topics);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(sequencer.isConnected() && sequencer.role() == Cluster.Role.LEADER && null != sequencer.serviceThread()))
        {
            sequencer.poll(counter, 0);
            assertTrue(System.nanoTime() < deadline, "one-member cluster not up in 60 s");
            Thread.yield();
        }
        final long serviceThreadId = sequencer.serviceThread().getId();
        final long pollThreadId = Thread.currentThread().getId();

        runBatch(recordLength, 20_000);
        runBatch(recordLength, 20_000);

        final int events = 20_000;
        final List<String> batches = new ArrayList<>();
        long serviceMinimum = Long.MAX_VALUE;
        long pollMinimum = Long.MAX_VALUE;
        for (int batch = 0; batch < 3; batch++)
        {
            final long serviceBefore = threads.getThreadAllocatedBytes(serviceThreadId);
            final long pollBefore = threads.getThreadAllocatedBytes(pollThreadId);
            runBatch(recordLength, events);
            final long pollAllocated = threads.getThreadAllocatedBytes(pollThreadId) - pollBefore;
            final long serviceAllocated = threads.getThreadAllocatedBytes(serviceThreadId) - serviceBefore;
            batches.add("service " + serviceAllocated + " B, polling " + pollAllocated + " B");
            serviceMinimum = Math.min(serviceMinimum, serviceAllocated);
            pollMinimum = Math.min(pollMinimum, pollAllocated);
        }
        System.out.println("cluster allocation per batch of " + events + " events: " + batches);
        assertEquals(0, serviceMinimum, "bytes on the service thread in the quietest of 3 batches: " + batches);
        assertEquals(0, pollMinimum, "bytes on the polling thread in the quietest of 3 batches: " + batches);
        assertEquals(List.of(), errors);
        assertEquals(delivered / 2, deliveredSeveral, "records of several topics delivered");
        assertEquals(0, wrongTopics, "records of several topics delivered with other topics");
    }

    private void runBatch(final int recordLength, final int events)
    {
        final long target = delivered + events;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int published = 0;
        while (delivered < target)
        {
            while (published < events && claimAndCopy(recordLength, published))
            {
                published++;
            }
            sequencer.poll(counter, 256);
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("delivered " + delivered + " of " + target);
            }
        }
    }

    private boolean claimAndCopy(final int recordLength, final int published)
    {
        final boolean several = 1 == (published & 1);
        final int length = several ? severalTopicsLength : recordLength;
        if (PublishResult.OK != sequencer.tryClaim(length, claim))
        {
            return false;
        }
        claim.buffer().putBytes(0, several ? severalTopics : record, 0, length);
        sequencer.commit(claim);
        return true;
    }
}
