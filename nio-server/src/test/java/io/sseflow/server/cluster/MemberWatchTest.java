package io.sseflow.server.cluster;

import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MemberWatch}'s decisions, one look at a time on a clock the test moves (no watchdog thread): which reports
 * end the member, with which reason, and what is never reported.
 */
class MemberWatchTest
{
    private final List<String> stops = new ArrayList<>();
    private final List<Throwable> printed = new ArrayList<>();
    private long nowMs = 1_000;
    private final MemberWatch watch = new MemberWatch(
        2, (stop, reason) -> stops.add(stop + " " + reason), () -> nowMs);

    @Test
    void shouldReportAFatalAeronErrorAsAFailureWithTheErrorBeforeIt()
    {
        final ErrorHandler consensus = watch.errorHandler(MemberWatch.Component.CONSENSUS_MODULE, printed::add);
        final ErrorHandler archive = watch.errorHandler(MemberWatch.Component.ARCHIVE, printed::add);
        consensus.onError(new AeronException("low storage", AeronException.Category.ERROR));
        consensus.onError(new AeronException("a warning", AeronException.Category.WARN));
        assertFalse(watch.check());

        archive.onError(new ConductorServiceTimeoutException("service interval exceeded"));
        consensus.onError(new AgentTerminationException("unexpected Aeron close"));

        assertTrue(watch.check());
        assertEquals(List.of("FAILED cluster node 2 stopped: the archive failed: " +
            "io.aeron.exceptions.ConductorServiceTimeoutException: FATAL - service interval exceeded; " +
            "the error before it: the consensus module reported io.aeron.exceptions.AeronException: ERROR - low storage"),
            stops);
        assertEquals(4, printed.size());
        assertTrue(watch.check());
        assertEquals(1, stops.size());
    }

    @Test
    void shouldReportTheConsensusModuleTerminatingWithNoErrorAsADeliberateShutdownAfterTheGrace()
    {
        watch.terminationHook(MemberWatch.Component.CLUSTERED_SERVICE).run();
        watch.terminationHook(MemberWatch.Component.CONSENSUS_MODULE).run();
        assertFalse(watch.check());
        nowMs += MemberWatch.TERMINATION_GRACE_MS - 1;
        assertFalse(watch.check());
        nowMs += 1;

        assertTrue(watch.check());
        assertEquals(List.of("SHUT_DOWN cluster node 2 stopped: the consensus module terminated as asked " +
            "(a deliberate cluster shutdown: ClusterControl SHUTDOWN or ABORT)"), stops);
    }

    @Test
    void shouldReportAnUnexpectedClusterTerminationAsAFailureEvenAfterTheHook()
    {
        watch.terminationHook(MemberWatch.Component.CONSENSUS_MODULE).run();
        assertFalse(watch.check());
        watch.errorHandler(MemberWatch.Component.CONSENSUS_MODULE, printed::add)
            .onError(new ClusterTerminationException(false));

        assertTrue(watch.check());
        assertEquals(List.of("FAILED cluster node 2 stopped: the consensus module failed: " +
            "io.aeron.cluster.service.ClusterTerminationException: unexpected termination"), stops);
    }

    @Test
    void shouldReportTheServiceAloneTerminatingAsAFailure()
    {
        watch.terminationHook(MemberWatch.Component.CLUSTERED_SERVICE).run();
        assertFalse(watch.check());
        nowMs += MemberWatch.TERMINATION_GRACE_MS;

        assertTrue(watch.check());
        assertEquals(List.of("FAILED cluster node 2 stopped: the clustered service terminated while the consensus " +
            "module runs"), stops);
    }

    @Test
    void shouldReportNothingOnceTheNodeIsClosing()
    {
        watch.closing();
        watch.errorHandler(MemberWatch.Component.CONSENSUS_MODULE, printed::add)
            .onError(new ClusterTerminationException(false));
        watch.terminationHook(MemberWatch.Component.CONSENSUS_MODULE).run();
        nowMs += MemberWatch.STALL_MS;

        assertTrue(watch.check());
        assertEquals(List.of(), stops);
        assertEquals(1, printed.size());
    }

    @Test
    void shouldReportAnAgentThreadThatEnded() throws InterruptedException
    {
        final Thread thread = watch.threadFactory(MemberWatch.Component.ARCHIVE).newThread(() -> {});
        thread.setName("archive-conductor");
        assertFalse(watch.check());
        thread.start();
        thread.join();

        assertTrue(watch.check());
        assertEquals(List.of("FAILED cluster node 2 stopped: the archive's thread archive-conductor ended"), stops);
    }

    @Test
    void shouldReportAClosedAeronClient()
    {
        final boolean[] closed = new boolean[1];
        watch.client(MemberWatch.Component.CLUSTERED_SERVICE, () -> closed[0]);
        assertFalse(watch.check());
        closed[0] = true;

        assertTrue(watch.check());
        assertEquals(List.of("FAILED cluster node 2 stopped: the clustered service's Aeron client closed"), stops);
    }

    @Test
    void shouldReportAStartedComponentThatStopsCyclingButNotOneThatHasNotStartedNorAPausedProcess()
    {
        final MemberWatch.Heartbeat heartbeat = watch.heartbeat(MemberWatch.Component.CONSENSUS_MODULE);
        assertFalse(watch.check());
        nowMs += MemberWatch.STALL_MS;
        assertFalse(watch.check(), "not started yet");
        heartbeat.beat();
        assertFalse(watch.check());
        nowMs += MemberWatch.STALL_MS;
        assertFalse(watch.check(), "the whole process was paused: the watchdog's own look came late");
        for (long i = 0; i < MemberWatch.STALL_MS; i += MemberWatch.TICK_MS)
        {
            heartbeat.beat();
            nowMs += MemberWatch.TICK_MS;
            assertFalse(watch.check());
        }
        for (long i = MemberWatch.TICK_MS; i < MemberWatch.STALL_MS; i += MemberWatch.TICK_MS)
        {
            nowMs += MemberWatch.TICK_MS;
            assertFalse(watch.check());
        }
        nowMs += MemberWatch.TICK_MS;

        assertTrue(watch.check());
        assertEquals(List.of("FAILED cluster node 2 stopped: the consensus module completed no duty cycle for " +
            MemberWatch.STALL_MS + " ms"), stops);
    }

    @Test
    void shouldCountOnlyUnexpectedTerminationsAndFatalAeronErrorsAsFailures()
    {
        assertTrue(MemberWatch.isFailure(new ClusterTerminationException(false)));
        assertFalse(MemberWatch.isFailure(new ClusterTerminationException(true)));
        assertTrue(MemberWatch.isFailure(new AgentTerminationException()));
        assertTrue(MemberWatch.isFailure(new AeronException("x", AeronException.Category.FATAL)));
        assertFalse(MemberWatch.isFailure(new AeronException("x", AeronException.Category.ERROR)));
        assertFalse(MemberWatch.isFailure(new IllegalStateException("x")));
    }
}
