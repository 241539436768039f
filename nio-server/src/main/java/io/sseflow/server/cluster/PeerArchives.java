package io.sseflow.server.cluster;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import org.agrona.CloseHelper;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Asks the other members' archives, over their archive control endpoints, whether they have recorded anything: a
 * member whose archive holds a recording (the cluster log, a snapshot) has history, one whose archive answers with
 * none is empty, one that does not answer in time is unknown. An empty member asks before it may join
 * ({@link JoinRule}); its own archive runs meanwhile, so empty members starting together see each other.
 * <p>
 * Cannot tell a member that never ran from one whose disk was replaced and that has not started since: both are empty.
 */
final class PeerArchives
{
    /**
     * What one look found about a member.
     */
    enum Finding
    {
        /**
         * Its archive holds a recording.
         */
        HISTORY,

        /**
         * Its archive answered and holds no recording.
         */
        EMPTY,

        /**
         * Its archive did not answer in time (not running, not reachable): it may have history.
         */
        UNKNOWN
    }

    private final ClusterSettings settings;
    private final Aeron aeron;

    /**
     * @param settings the members and this member's host, for the response channel.
     * @param aeron    a client of this member's media driver.
     */
    PeerArchives(final ClusterSettings settings, final Aeron aeron)
    {
        this.settings = settings;
        this.aeron = aeron;
    }

    /**
     * Ask every other member once, all at once, waiting at most {@code timeoutMs} for their answers.
     *
     * @param timeoutMs how long to wait for answers.
     * @return one finding per member, by index; this member's own is {@link Finding#EMPTY}.
     */
    Finding[] look(final long timeoutMs)
    {
        final int count = settings.memberCount();
        final Finding[] findings = new Finding[count];
        Arrays.fill(findings, Finding.UNKNOWN);
        findings[settings.nodeIndex()] = Finding.EMPTY;
        final AeronArchive.AsyncConnect[] connects = new AeronArchive.AsyncConnect[count];
        try
        {
            for (int member = 0; member < count; member++)
            {
                if (member != settings.nodeIndex())
                {
                    connects[member] = AeronArchive.asyncConnect(new AeronArchive.Context()
                        .aeron(aeron)
                        .ownsAeronClient(false)
                        .controlRequestChannel("aeron:udp?endpoint=" + settings.endpoint(member, 4))
                        .controlResponseChannel("aeron:udp?endpoint=" + settings.host(settings.nodeIndex()) + ":0")
                        .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeoutMs)));
                }
            }
            final long deadline = System.currentTimeMillis() + timeoutMs;
            while (System.currentTimeMillis() <= deadline)
            {
                boolean waiting = false;
                for (int member = 0; member < count; member++)
                {
                    if (null != connects[member])
                    {
                        waiting |= stillWaiting(connects, findings, member);
                    }
                }
                if (!waiting)
                {
                    break;
                }
                sleep();
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(connects);
        }
        return findings;
    }

    private static boolean stillWaiting(
        final AeronArchive.AsyncConnect[] connects, final Finding[] findings, final int member)
    {
        final AeronArchive archive;
        try
        {
            archive = connects[member].poll();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(connects[member]);
            connects[member] = null;
            return false;
        }
        if (null == archive)
        {
            return true;
        }
        connects[member] = null;
        try
        {
            final int recordings = archive.listRecordings(0, 1, (controlSessionId, correlationId, recordingId,
                startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
                termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) ->
                {
                });
            findings[member] = recordings > 0 ? Finding.HISTORY : Finding.EMPTY;
        }
        catch (final RuntimeException ex)
        {
            findings[member] = Finding.UNKNOWN;
        }
        finally
        {
            CloseHelper.quietClose(archive);
        }
        return false;
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(10);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the other members' archives", ex);
        }
    }
}
