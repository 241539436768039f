package io.sseflow.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fan-out benchmark's results as {@code FanOutBenchmark --csv} wrote them: a header of column names
 * ({@code FanOutBenchmark.CSV_COLUMNS}), then one {@link Row} per server and subscriber count.
 */
final class FanOutResults
{
    /**
     * One server at one subscriber count.
     *
     * @param values column name to the field's text (empty where nothing was measured).
     */
    record Row(Map<String, String> values)
    {
        String server()
        {
            return text("server");
        }

        int subscribers()
        {
            return Integer.parseInt(text("subscribers"));
        }

        String text(final String column)
        {
            return values.getOrDefault(column, "");
        }

        /**
         * @param column a numeric column.
         * @return its value, NaN where it was not measured.
         */
        double number(final String column)
        {
            final String text = text(column);
            return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        }

        boolean ok()
        {
            return "ok".equals(text("status"));
        }
    }

    final List<String> columns;
    final List<Row> rows;

    private FanOutResults(final List<String> columns, final List<Row> rows)
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
        final List<Row> rows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final List<String> fields = fields(line);
            final Map<String, String> values = new java.util.LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++)
            {
                values.put(columns.get(i), i < fields.size() ? fields.get(i) : "");
            }
            rows.add(new Row(values));
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

    Optional<Row> find(final String server, final int subscribers)
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
