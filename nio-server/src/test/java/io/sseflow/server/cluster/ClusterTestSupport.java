package io.sseflow.server.cluster;

import io.aeron.cluster.service.Cluster;
import io.sseflow.server.PublishResult;
import io.sseflow.server.sequencer.PublishClaim;
import io.sseflow.server.sequencer.PublishRecord;
import io.sseflow.server.sequencer.RetainedIdCheck;
import io.sseflow.server.sequencer.SequencedEventHandler;
import io.sseflow.server.sequencer.TopicDirectory;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the cluster tests share: free UDP port ranges, unique Aeron and data directories, a topic directory and a
 * handler that records what the sequencer delivered.
 */
final class ClusterTestSupport
{
    private ClusterTestSupport()
    {
    }

    /**
     * A base port whose {@code count} consecutive UDP ports on loopback are free now.
     */
    static int freeBasePort(final int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            final int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            if (allFree(base, count))
            {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free UDP ports found");
    }

    private static boolean allFree(final int base, final int count)
    {
        for (int port = base; port < base + count; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(null))
            {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
        return true;
    }

    static File tempDir(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix).toFile();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static String aeronDir(final String name)
    {
        final File shm = new File("/dev/shm");
        final String unique = "sseflow-test-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        return (shm.isDirectory() ? new File(shm, unique) : new File(System.getProperty("java.io.tmpdir"), unique))
            .getPath();
    }

    static void delete(final File dir)
    {
        IoUtil.delete(dir, true);
    }

    /**
     * Claim, write {@code data: DATA\n} with an optional id, and commit.
     */
    static PublishResult publish(
        final ClusterEventSequencer sequencer, final PublishClaim claim, final Topics topics, final String topic,
        final long correlationId, final String id, final String data)
    {
        final int idLength = null == id ? 0 : id.getBytes(StandardCharsets.UTF_8).length;
        final int dataLength = ("data: " + data + "\n").getBytes(StandardCharsets.UTF_8).length;
        final PublishResult result = sequencer.tryClaim(PublishRecord.recordLength(idLength, 0, dataLength), claim);
        if (result != PublishResult.OK)
        {
            return result;
        }
        ClusterRecords.putPublishRecord(claim.buffer(), 0, correlationId, topics.indexOf(topic), id, data);
        sequencer.commit(claim);
        return result;
    }

    /**
     * Topics by name and index, as an agent would keep them; counts pins.
     */
    static final class Topics implements TopicDirectory
    {
        final List<String> names = new ArrayList<>();
        final List<byte[]> nameBytes = new ArrayList<>();
        final Map<String, Integer> indexes = new HashMap<>();
        int pins;

        int indexOf(final String name)
        {
            return indexes.computeIfAbsent(name, n ->
            {
                names.add(n);
                nameBytes.add(n.getBytes(StandardCharsets.UTF_8));
                return names.size() - 1;
            });
        }

        public int topicName(final int topicIndex, final MutableDirectBuffer buffer, final int offset)
        {
            if (topicIndex < 0 || topicIndex >= names.size())
            {
                return -1;
            }
            final byte[] bytes = nameBytes.get(topicIndex);
            buffer.putBytes(offset, bytes);
            return bytes.length;
        }

        public int pinTopic(final DirectBuffer name, final int offset, final int length)
        {
            pins++;
            return indexOf(name.getStringWithoutLengthUtf8(offset, length));
        }

        public void checkRetainedId(
            final int topicIndex, final PublishRecord record, final RetainedIdCheck check)
        {
            check.onTopic(0, false);
        }
    }

    /**
     * Records each delivery as one line.
     */
    static final class Recorder implements SequencedEventHandler
    {
        final List<String> events = new ArrayList<>();
        final List<String> answers = new ArrayList<>();
        private final Topics topics;
        private final PublishRecord record = new PublishRecord();

        Recorder(final Topics topics)
        {
            this.topics = topics;
        }

        public void onEvent(
            final DirectBuffer buffer, final int recordOffset, final int recordLength, final long seq, final long numericId)
        {
            final PublishRecord record = this.record.wrap(buffer, recordOffset);
            final String id = numericId == io.sseflow.server.sequencer.EventSequencer.TEXT_ID ?
                buffer.getStringWithoutLengthUtf8(record.idOffset(), record.idLength()) : String.valueOf(numericId);
            events.add("seq=" + seq + " " + topics.names.get(record.topicIndex()) + " id=" + id + " " +
                buffer.getStringWithoutLengthUtf8(record.dataOffset(), record.dataLength()).trim());
            if (0 != record.correlationId())
            {
                answers.add("corr=" + record.correlationId() + " id=" + id);
            }
        }

        public void onDuplicate(final DirectBuffer buffer, final int recordOffset, final int recordLength, final long existingSeq)
        {
            final PublishRecord record = this.record.wrap(buffer, recordOffset);
            answers.add("corr=" + record.correlationId() + " duplicate of seq=" + existingSeq + " id=" +
                buffer.getStringWithoutLengthUtf8(record.idOffset(), record.idLength()));
        }

        public void onRefused(
            final DirectBuffer buffer, final int recordOffset, final int recordLength, final PublishResult result)
        {
            answers.add("corr=" + record.wrap(buffer, recordOffset).correlationId() + " " + result);
        }
    }

    /**
     * Poll every started member's sequencer once into its recorder (members in this process).
     */
    static void pollAll(final ClusterEventSequencer[] nodes, final Recorder[] recorders)
    {
        for (int i = 0; i < nodes.length; i++)
        {
            if (null != nodes[i])
            {
                nodes[i].poll(recorders[i], 64);
            }
        }
    }

    /**
     * How many of the started members' sequencers are leaders.
     */
    static int leaders(final ClusterEventSequencer[] nodes)
    {
        int leaders = 0;
        for (final ClusterEventSequencer node : nodes)
        {
            if (null != node && node.role() == Cluster.Role.LEADER)
            {
                leaders++;
            }
        }
        return leaders;
    }

}
