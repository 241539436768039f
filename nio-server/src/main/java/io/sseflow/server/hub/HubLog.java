package io.sseflow.server.hub;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The hub's log: lines on standard error in the {@link LogFormat} of {@code --log-format}, written through
 * {@link System.Logger} (logger {@value #NAME}), so that an application running the hub's classes routes them like
 * its own (a {@code System.LoggerFinder}, e.g. SLF4J's {@code slf4j-jdk-platform-logging}). The standalone hub
 * installs this class's handler on {@code java.util.logging}'s root logger, the JDK's default backend.
 * <p>
 * What is logged: the start (version and budgets), the shutdown, cluster members' own lines and role changes, and
 * every ten seconds a summary of what was refused and dropped ({@link HubReporter}); never a line per request or
 * per event, and nothing from the agent thread.
 */
public final class HubLog
{
    /**
     * The logger's name.
     */
    public static final String NAME = "io.sseflow.hub";

    private static volatile LineHandler installed;
    private static volatile boolean reasonIsLast;

    private final System.Logger logger = System.getLogger(NAME);

    /**
     * Log on {@link System.Logger} {@value #NAME}, whatever routes it.
     */
    public HubLog()
    {
    }

    /**
     * Route {@code java.util.logging}'s root logger (the JDK's default backend of {@link System.Logger}) to
     * {@code err} in {@code format}: what the standalone hub does at start.
     *
     * @param format the line format.
     * @param err    standard error.
     * @param clock  the time stamps' clock.
     */
    public static void install(final LogFormat format, final PrintStream err, final Clock clock)
    {
        final Logger root = Logger.getLogger("");
        for (final Handler handler : root.getHandlers())
        {
            root.removeHandler(handler);
        }
        final LineHandler handler = new LineHandler(format, err, clock);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        installed = handler;
    }

    /**
     * @param message an informational line.
     */
    public void info(final String message)
    {
        logger.log(System.Logger.Level.INFO, message);
    }

    /**
     * An informational line from a shutdown hook: {@code java.util.logging} closes its handlers in a hook of its
     * own, so the handler {@link #install} put in place writes it directly.
     *
     * @param message the line.
     */
    public void infoAtShutdown(final String message)
    {
        if (reasonIsLast)
        {
            return;
        }
        final LineHandler handler = installed;
        if (null != handler)
        {
            handler.write(System.Logger.Level.INFO, NAME, message);
        }
        else
        {
            info(message);
        }
    }

    /**
     * The process is exiting with a line that says why (a refused member): nothing is logged after it, so that the
     * reason is the last line a supervisor shows.
     */
    static void reasonIsLast()
    {
        reasonIsLast = true;
    }

    /**
     * @return true once the process is exiting with a line that must stay the last.
     */
    static boolean isReasonLast()
    {
        return reasonIsLast;
    }

    /**
     * @param message a warning.
     */
    public void warning(final String message)
    {
        logger.log(System.Logger.Level.WARNING, message);
    }

    /**
     * A print stream whose every line is logged as one informational line: for the cluster member's own output,
     * which prints lines.
     *
     * @return the stream.
     */
    public PrintStream lines()
    {
        return new PrintStream(new LineSplitter(this), true, StandardCharsets.UTF_8);
    }

    private static final class LineSplitter extends OutputStream
    {
        private final HubLog log;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSplitter(final HubLog log)
        {
            this.log = log;
        }

        public synchronized void write(final int b)
        {
            if (b == '\n')
            {
                final String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                log.info(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            }
            else
            {
                line.write(b);
            }
        }
    }

    private static final class LineHandler extends Handler
    {
        private final LogFormat format;
        private final PrintStream err;
        private final Clock clock;

        LineHandler(final LogFormat format, final PrintStream err, final Clock clock)
        {
            this.format = format;
            this.err = err;
            this.clock = clock;
            setFormatter(new Formatter()
            {
                public String format(final LogRecord record)
                {
                    return formatMessage(record);
                }
            });
        }

        public void publish(final LogRecord record)
        {
            if (!isLoggable(record))
            {
                return;
            }
            write(level(record.getLevel()), String.valueOf(record.getLoggerName()), getFormatter().format(record));
        }

        void write(final System.Logger.Level level, final String logger, final String message)
        {
            if (reasonIsLast)
            {
                return;
            }
            final String line = format.format(clock.instant(), level, logger, message);
            synchronized (err)
            {
                err.println(line);
                err.flush();
            }
        }

        public void flush()
        {
            err.flush();
        }

        public void close()
        {
            flush();
        }

        private static System.Logger.Level level(final Level level)
        {
            final int value = level.intValue();
            if (value >= Level.SEVERE.intValue())
            {
                return System.Logger.Level.ERROR;
            }
            if (value >= Level.WARNING.intValue())
            {
                return System.Logger.Level.WARNING;
            }
            if (value >= Level.INFO.intValue())
            {
                return System.Logger.Level.INFO;
            }
            return value >= Level.FINE.intValue() ? System.Logger.Level.DEBUG : System.Logger.Level.TRACE;
        }
    }
}
