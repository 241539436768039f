package io.sseflow.benchmarks.fanout.results;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One row of {@code fanout.csv}: one server at one subscriber count, each {@link FanOutColumn}'s field as text
 * (empty where nothing was measured, or where the CSV predates the column).
 */
public final class FanOutRow
{
    private final Map<FanOutColumn, String> values;

    /**
     * @param values the fields; columns missing from the map read as empty.
     */
    public FanOutRow(final Map<FanOutColumn, String> values)
    {
        final EnumMap<FanOutColumn, String> copy = new EnumMap<>(FanOutColumn.class);
        copy.putAll(values);
        this.values = Collections.unmodifiableMap(copy);
    }

    /**
     * A field as written.
     *
     * @param column the column.
     * @return its text, empty if not measured.
     */
    public String text(final FanOutColumn column)
    {
        return values.getOrDefault(column, "");
    }

    /**
     * The same row with one field replaced.
     *
     * @param column the field.
     * @param text   its new text.
     * @return a new row.
     */
    public FanOutRow with(final FanOutColumn column, final String text)
    {
        final Map<FanOutColumn, String> copy = new EnumMap<>(FanOutColumn.class);
        copy.putAll(values);
        copy.put(column, text);
        return new FanOutRow(copy);
    }

    /**
     * A numeric field.
     *
     * @param column a numeric column.
     * @return its value, NaN where it was not measured.
     */
    public double number(final FanOutColumn column)
    {
        final String text = text(column);
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    /**
     * The server's name.
     *
     * @return e.g. {@code sseflow}.
     */
    public String server()
    {
        return text(FanOutColumn.SERVER);
    }

    /**
     * The subscriber count.
     *
     * @return subscribers.
     */
    public int subscribers()
    {
        return Integer.parseInt(text(FanOutColumn.SUBSCRIBERS));
    }

    /**
     * Did every checked subscriber get every event in order.
     *
     * @return true if the status is {@code ok}.
     */
    public boolean ok()
    {
        return "ok".equals(text(FanOutColumn.STATUS));
    }
}
