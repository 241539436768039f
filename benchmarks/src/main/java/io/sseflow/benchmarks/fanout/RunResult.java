package io.sseflow.benchmarks.fanout;

/**
 * One server at one subscriber count: how the run ended and what each phase measured (null where a phase did not
 * run).
 *
 * @param server      server name ({@code sseflow}, {@code netty}, {@code webflux}).
 * @param subscribers subscriber count.
 * @param status      how the run ended.
 * @param detail      why it failed or was skipped, empty if ok.
 * @param banner      the server's {@code listening on} line, or null if it did not start.
 * @param idle        memory empty and with idle subscribers.
 * @param maxRate     the all-reading max-rate phase.
 * @param latency     the all-reading fixed-rate phase.
 * @param stalled     the stalled-readers phases.
 * @param events      events every checked subscriber received in order.
 */
record RunResult(
    String server,
    int subscribers,
    Status status,
    String detail,
    String banner,
    IdleMemory idle,
    MaxRateResult maxRate,
    LatencyResult latency,
    StalledResult stalled,
    long events)
{
    /** How a run ended. */
    enum Status
    {
        /** Every checked subscriber got every event in order. */
        OK("ok"),
        /** Not run (server jar missing, run time limit reached). */
        SKIPPED("skipped"),
        /** A subscriber lost, repeated or reordered an event, never got it, or the server failed. */
        FAIL("fail");

        private final String csv;

        Status(final String csv)
        {
            this.csv = csv;
        }

        /**
         * The status column's value.
         *
         * @return {@code ok}, {@code skipped} or {@code fail}.
         */
        String csv()
        {
            return csv;
        }
    }

    /**
     * A run that did not start.
     *
     * @param server      server name.
     * @param subscribers subscriber count.
     * @param reason      why.
     * @return the skipped result.
     */
    static RunResult skipped(final String server, final int subscribers, final String reason)
    {
        return new RunResult(server, subscribers, Status.SKIPPED, reason, null, null, null, null, null, 0);
    }

    /**
     * The run's result as one line for the console.
     *
     * @return summary.
     */
    String summary()
    {
        return FanOutTableWriter.summary(this);
    }
}
