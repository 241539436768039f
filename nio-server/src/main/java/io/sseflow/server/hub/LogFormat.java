package io.sseflow.server.hub;

import java.time.Instant;
import java.util.Locale;

/**
 * How the hub's log lines look on standard error ({@code --log-format}).
 */
public enum LogFormat
{
    /**
     * The message alone, one line, as the hub always printed it ({@code sseflow listening ...} stays on standard
     * output); a warning or an error starts with its level.
     */
    TEXT
    {
        String format(final Instant time, final System.Logger.Level level, final String logger, final String message)
        {
            return level.getSeverity() >= System.Logger.Level.WARNING.getSeverity() ?
                level.getName().toLowerCase(Locale.ROOT) + ": " + message : message;
        }
    },

    /**
     * One JSON object per line, for log shippers: {@code {"time":"2026-12-08T02:01:07.123Z","level":"INFO",
     * "logger":"io.sseflow.hub","message":"..."}}.
     */
    JSON
    {
        String format(final Instant time, final System.Logger.Level level, final String logger, final String message)
        {
            final StringBuilder line = new StringBuilder(96 + message.length());
            line.append("{\"time\":\"").append(time).append("\",\"level\":\"").append(level.getName())
                .append("\",\"logger\":");
            quote(line, logger);
            line.append(",\"message\":");
            quote(line, message);
            return line.append('}').toString();
        }
    };

    /**
     * One log line, without its line end.
     *
     * @param time    when.
     * @param level   how bad.
     * @param logger  whose.
     * @param message what.
     * @return the line.
     */
    abstract String format(Instant time, System.Logger.Level level, String logger, String message);

    /**
     * The format a flag value names.
     *
     * @param value {@code text} or {@code json}.
     * @return the format.
     * @throws IllegalArgumentException for anything else.
     */
    public static LogFormat of(final String value)
    {
        switch (value)
        {
            case "text":
                return TEXT;
            case "json":
                return JSON;
            default:
                throw new IllegalArgumentException("--log-format takes text or json, got '" + value + "'");
        }
    }

    private static void quote(final StringBuilder line, final String text)
    {
        line.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    line.append("\\\"");
                    break;
                case '\\':
                    line.append("\\\\");
                    break;
                case '\n':
                    line.append("\\n");
                    break;
                case '\r':
                    line.append("\\r");
                    break;
                case '\t':
                    line.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        line.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        line.append(c);
                    }
                    break;
            }
        }
        line.append('"');
    }
}
