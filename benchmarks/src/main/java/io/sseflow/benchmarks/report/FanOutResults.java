package io.sseflow.benchmarks.report;

import io.sseflow.benchmarks.fanout.results.FanOutColumn;
import io.sseflow.benchmarks.fanout.results.FanOutRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fan-out benchmark's results as {@code FanOutBenchmark --csv} wrote them: a header of column names
 * ({@link FanOutColumn}), then one {@link FanOutRow} per server and subscriber count. Columns are found by name, so
 * a CSV of an earlier run, with fewer columns, reads too (what it lacks is empty); a name no {@link FanOutColumn}
 * has is ignored.
 */
final class FanOutResults
{
    private static final Map<String, FanOutColumn> COLUMNS = new HashMap<>();

    static
    {
        for (final FanOutColumn column : FanOutColumn.values())
        {
            COLUMNS.put(column.csvName(), column);
        }
    }

    final List<String> columns;
    final List<FanOutRow> rows;

    private FanOutResults(final List<String> columns, final List<FanOutRow> rows)
    {
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Read the CSV.
     *
     * @param file {@code fanout.csv}.
     * @return its rows.
     * @throws IOException if it cannot be read or has no header.
     */
    static FanOutResults read(final Path file) throws IOException
    {
        final List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty())
        {
            throw new IOException(file + " is empty");
        }
        final List<String> columns = fields(lines.get(0));
        final List<FanOutRow> rows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final List<String> fields = fields(line);
            final Map<FanOutColumn, String> values = new EnumMap<>(FanOutColumn.class);
            for (int i = 0; i < columns.size(); i++)
            {
                final FanOutColumn column = COLUMNS.get(columns.get(i));
                if (column != null)
                {
                    values.put(column, i < fields.size() ? fields.get(i) : "");
                }
            }
            rows.add(new FanOutRow(values));
        }
        return new FanOutResults(List.copyOf(columns), List.copyOf(rows));
    }

    /** @return the servers in the order they ran. */
    List<String> servers()
    {
        final Set<String> servers = new LinkedHashSet<>();
        rows.forEach((r) -> servers.add(r.server()));
        return List.copyOf(servers);
    }

    /** @return the subscriber counts, ascending. */
    List<Integer> subscriberCounts()
    {
        final Set<Integer> counts = new TreeSet<>();
        rows.forEach((r) -> counts.add(r.subscribers()));
        return List.copyOf(counts);
    }

    Optional<FanOutRow> find(final String server, final int subscribers)
    {
        return rows.stream().filter((r) -> r.server().equals(server) && r.subscribers() == subscribers).findFirst();
    }

    private static List<String> fields(final String line)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quoted)
            {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"')
                {
                    field.append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.add(field.toString());
                field.setLength(0);
            }
            else
            {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
