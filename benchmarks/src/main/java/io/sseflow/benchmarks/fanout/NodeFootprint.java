package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What one hub node holds after the load phases: its resident set ({@code VmRSS} of {@code /proc/PID/status}), its
 * data dir and its Aeron directory (memory-mapped files, in {@code /dev/shm} where it exists), each as blocks on disk
 * ({@code du -s -B1}) and as the files' apparent size ({@code du -s -B1 --apparent-size}; larger where the files are
 * sparse). -1 where there is no such directory (an in-memory hub).
 *
 * @param rssBytes            resident set size.
 * @param dataDirBytes        data dir, blocks in use.
 * @param dataDirApparentBytes data dir, sum of file lengths.
 * @param aeronDirBytes       Aeron directory, blocks in use.
 * @param aeronDirApparentBytes Aeron directory, sum of file lengths.
 */
record NodeFootprint(
    long rssBytes,
    long dataDirBytes,
    long dataDirApparentBytes,
    long aeronDirBytes,
    long aeronDirApparentBytes)
{
    /**
     * Measure a node.
     *
     * @param rssBytes its resident set size.
     * @param dataDir  its data dir, or null.
     * @param aeronDir its Aeron directory, or null.
     * @return the footprint.
     * @throws IOException if {@code du} fails.
     */
    static NodeFootprint measure(final long rssBytes, final Path dataDir, final Path aeronDir) throws IOException
    {
        return new NodeFootprint(rssBytes, du(dataDir, false), du(dataDir, true), du(aeronDir, false),
            du(aeronDir, true));
    }

    private static long du(final Path dir, final boolean apparent) throws IOException
    {
        if (dir == null || !Files.isDirectory(dir))
        {
            return -1;
        }
        final ProcessBuilder builder = apparent ?
            new ProcessBuilder("du", "-s", "-B1", "--apparent-size", dir.toString()) :
            new ProcessBuilder("du", "-s", "-B1", dir.toString());
        final Process du = builder.redirectErrorStream(true).start();
        try
        {
            final String output = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!du.waitFor(30, TimeUnit.SECONDS) || du.exitValue() != 0)
            {
                throw new IOException(String.join(" ", builder.command()) + " failed: " + output.trim());
            }
            return duBytes(output);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
        finally
        {
            du.destroyForcibly();
        }
    }

    /**
     * The byte count of {@code du -s -B1 DIR}'s output ({@code 1153024<TAB>DIR}).
     *
     * @param output what du printed.
     * @return bytes.
     * @throws IllegalArgumentException if it does not start with a number followed by a tab.
     */
    static long duBytes(final String output)
    {
        final int tab = output.indexOf('\t');
        if (tab <= 0 || !output.substring(0, tab).chars().allMatch((c) -> c >= '0' && c <= '9'))
        {
            throw new IllegalArgumentException("du output is not 'BYTES<TAB>DIR': '" + output.trim() + "'");
        }
        return Long.parseLong(output.substring(0, tab));
    }
}
