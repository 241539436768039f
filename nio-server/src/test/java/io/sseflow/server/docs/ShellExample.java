package io.sseflow.server.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command of a {@code bash} example, as {@code DocsShellExamplesIT} runs it: the command line (continuation
 * lines joined), its trailing comment, and the {@code # → TEXT} lines under it, each a text its output must
 * contain, in that order. Parses only what the pages use: single and double quotes, {@code \} at a line's end, and
 * comments that start with {@code #} after a space outside quotes.
 *
 * @param line     1-based line in the page where the command starts.
 * @param command  the command without its trailing comment.
 * @param comment  the trailing comment without {@code #}, or empty.
 * @param expected the texts the output must contain, in order.
 */
record ShellExample(int line, String command, String comment, List<String> expected)
{
    private static final String ARROW = "# → ";
    private static final Pattern STATUS = Pattern.compile("\\b([1-5]\\d\\d)\\b");

    /**
     * The commands of a block.
     *
     * @param text      the block's lines.
     * @param firstLine the page's line number of the block's first line.
     * @return its commands in order; output lines belong to the command above them.
     */
    static List<ShellExample> parse(final String text, final int firstLine)
    {
        final List<ShellExample> commands = new ArrayList<>();
        final String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            if (line.startsWith(ARROW))
            {
                if (commands.isEmpty())
                {
                    throw new AssertionError("line " + (firstLine + i) + ": an output line with no command above it");
                }
                commands.get(commands.size() - 1).expected().add(line.substring(ARROW.length()));
                continue;
            }
            if (line.isBlank() || line.strip().startsWith("#"))
            {
                continue;
            }
            final int start = i;
            final StringBuilder joined = new StringBuilder(line);
            while (joined.toString().endsWith("\\") && i + 1 < lines.length)
            {
                joined.setLength(joined.length() - 1);
                joined.append(' ').append(lines[++i].strip());
            }
            final int hash = commentStart(joined.toString());
            final String command = (hash < 0 ? joined.toString() : joined.substring(0, hash)).strip();
            final String comment = hash < 0 ? "" : joined.substring(hash + 1).strip();
            commands.add(new ShellExample(firstLine + start, command, comment, new ArrayList<>()));
        }
        return commands;
    }

    /**
     * The HTTP status its trailing comment or output lines name ({@code # 401, WWW-Authenticate: Bearer},
     * {@code # HTTP/1.1 401 Unauthorized}), or 0 when none: then any 2xx.
     *
     * @return the status, or 0.
     */
    int expectedStatus()
    {
        final Matcher matcher = STATUS.matcher(comment);
        if (matcher.find() && matcher.group(1).charAt(0) >= '4')
        {
            return Integer.parseInt(matcher.group(1));
        }
        for (final String text : expected)
        {
            final Matcher inOutput = Pattern.compile("^HTTP/1\\.1 ([1-5]\\d\\d)\\b").matcher(text);
            if (inOutput.find())
            {
                return Integer.parseInt(inOutput.group(1));
            }
        }
        return 0;
    }

    /**
     * The words of a command as the shell would split them, without expansions (enough to read a hub's flags).
     *
     * @param command a command line without a comment.
     * @return its words, quotes removed.
     */
    static List<String> words(final String command)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++)
        {
            final char c = command.charAt(i);
            if (0 != quote)
            {
                if (c == quote)
                {
                    quote = 0;
                }
                else
                {
                    word.append(c);
                }
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
                inWord = true;
            }
            else if (Character.isWhitespace(c))
            {
                if (inWord)
                {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else
            {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.add(word.toString());
        }
        return words;
    }

    private static int commentStart(final String line)
    {
        char quote = 0;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (0 != quote)
            {
                quote = c == quote ? 0 : quote;
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
            }
            else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1)))
            {
                return i;
            }
        }
        return -1;
    }
}
