package io.sseflow.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code benchmarks/run-all.sh} recorded about the run in {@code run-info.txt}: one {@code key=value} per line
 * (the value is everything after the first {@code =}, taken literally): the machine, the JDK, the commit, the date
 * and the exact commands with their exit statuses.
 */
final class RunInfo
{
    private static final String NOT_RECORDED = "not recorded";

    private final Map<String, String> values;

    private RunInfo(final Map<String, String> values)
    {
        this.values = values;
    }

    /**
     * Read the file; a missing file gives an empty record (every value "not recorded").
     *
     * @param file {@code run-info.txt}.
     * @return the record.
     * @throws IOException if it exists but cannot be read.
     */
    static RunInfo read(final Path file) throws IOException
    {
        final Map<String, String> values = new LinkedHashMap<>();
        if (Files.isRegularFile(file))
        {
            for (final String line : Files.readAllLines(file))
            {
                final int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#"))
                {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        }
        return new RunInfo(values);
    }

    /**
     * @param key a key written by {@code run-all.sh}.
     * @return its value, or "not recorded".
     */
    String get(final String key)
    {
        final String value = values.get(key);
        return value == null || value.isEmpty() ? NOT_RECORDED : value;
    }

    boolean has(final String key)
    {
        final String value = values.get(key);
        return value != null && !value.isEmpty();
    }
}
