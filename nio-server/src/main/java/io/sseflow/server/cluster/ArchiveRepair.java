package io.sseflow.server.cluster;

import io.aeron.archive.ArchiveTool;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The repair Aeron's archive asks for when it will not start because a recording ends in a fragment that was cut
 * short ("Found potentially incomplete last fragment straddling page boundary ... Run `ArchiveTool verify`"): a
 * write that stopped part-way, when the disk filled up or the process died. Runs Aeron's own
 * {@link ArchiveTool#verify} on the archive, confirming its offer to truncate such a fragment, and prints one line
 * saying so. The fragment was never acknowledged: the archive moves a recording's position, which a commit counts,
 * only past blocks it wrote (and, with fsync, forced) whole.
 * <p>
 * Aeron decides which fragment is incomplete: the last one of a recording whose stop position was not recorded,
 * when it crosses a page boundary and its part after the boundary holds only zeros. It cannot tell such a fragment
 * from a whole one whose own last bytes are zeros there; an event's record never is one (the log carries it in
 * fragments of at most an MTU, the last of which ends with the event's final line feed), but a message of the
 * consensus module's own may be. The archive could tell by checksums ({@code Archive.Context.recordChecksum}),
 * which Agrona computes only with {@code --add-opens java.base/java.util.zip}; the hub does not record them.
 */
final class ArchiveRepair
{
    private static final String INCOMPLETE_LAST_FRAGMENT = "incomplete last fragment straddling page boundary";

    private ArchiveRepair()
    {
    }

    /**
     * Did the archive refuse to start because a recording ends in an incomplete fragment?
     *
     * @param error thrown launching the member.
     * @return true when it, or one of its causes, says so.
     */
    static boolean isIncompleteLastFragment(final Throwable error)
    {
        for (Throwable cause = error; null != cause; cause = cause.getCause())
        {
            final String message = cause.getMessage();
            if (null != message && message.contains(INCOMPLETE_LAST_FRAGMENT))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Run Aeron's verification of the archive (the last segment of each recording), truncating every incomplete last
     * fragment it finds, and print one line saying so, with what verification reported.
     *
     * @param nodeIndex  names the node in the line.
     * @param archiveDir the archive's directory (not in use by an archive).
     * @param error      the archive's refusal to start, quoted in the line.
     * @param out        where the line goes.
     */
    static void truncateIncompleteLastFragments(
        final int nodeIndex, final File archiveDir, final Throwable error, final PrintStream out)
    {
        final ByteArrayOutputStream report = new ByteArrayOutputStream();
        final List<String> truncated = new ArrayList<>();
        final boolean ok;
        try (PrintStream reportStream = new PrintStream(report, true, StandardCharsets.UTF_8))
        {
            ok = ArchiveTool.verify(reportStream, archiveDir, EnumSet.noneOf(ArchiveTool.VerifyOption.class), null,
                (segmentFile) ->
                {
                    truncated.add(segmentFile.getName());
                    return true;
                });
        }
        out.println("sseflow: cluster node " + nodeIndex + ": the archive would not start (" + oneLine(error) +
            "); ran Aeron's ArchiveTool verify on " + archiveDir + ", which truncated the incomplete last fragment " +
            "of " + (truncated.isEmpty() ? "no file" : String.join(", ", truncated)) + " (a write cut short, never " +
            "acknowledged) and reported" + (ok ? ": " : " errors (it marks a recording in error invalid): ") +
            oneLine(report.toString(StandardCharsets.UTF_8)) + "; starting again");
        out.flush();
    }

    private static String oneLine(final Object text)
    {
        return String.valueOf(text).trim().replace("\r\n", "; ").replace('\n', ' ').replace('\r', ' ');
    }
}
