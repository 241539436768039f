package io.sseflow.server.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documentation as the tests read it: README.md and every {@code docs/*.md} page, their fenced code blocks, and
 * the HTML comment right above a block that says how a test treats it ({@code <!-- not run: REASON -->},
 * {@code <!-- java fragment: PARAMETERS [| DECLARATIONS] -->}). Knows Markdown only as far as these pages use it:
 * fences of three backticks at the start of a line, no nesting.
 */
final class DocPages
{
    private static final Pattern MARKER = Pattern.compile("^<!-- ([a-z ]+): ?(.*?) ?-->$");

    /**
     * A fenced code block.
     *
     * @param page       the file it is in.
     * @param line       1-based line of its opening fence.
     * @param language   the fence's info string ({@code bash}, {@code java}, {@code js}, or empty).
     * @param text       the lines between the fences, each ending with a line feed.
     * @param markerKind the kind of the marker comment above it ({@code not run}, {@code java fragment}), or null.
     * @param marker     the marker's text after the kind, or null.
     */
    record Block(Path page, int line, String language, String text, String markerKind, String marker)
    {
        /**
         * Where the block is, for failure messages.
         *
         * @return {@code docs/hub.md:42}.
         */
        String where()
        {
            return root().relativize(page) + ":" + line;
        }
    }

    private DocPages()
    {
    }

    /**
     * The repository root (the parent of {@code nio-server}, where the tests run).
     *
     * @return its path.
     */
    static Path root()
    {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }

    /**
     * README.md, then the docs pages in name order.
     *
     * @return their paths.
     */
    static List<Path> pages()
    {
        final List<Path> pages = new ArrayList<>();
        pages.add(root().resolve("README.md"));
        try (Stream<Path> docs = Files.list(root().resolve("docs")))
        {
            docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return pages;
    }

    /**
     * The lines of a page.
     *
     * @param page a Markdown file.
     * @return its lines.
     */
    static List<String> lines(final Path page)
    {
        try
        {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Every fenced block of every page.
     *
     * @return the blocks, in page and line order.
     */
    static List<Block> blocks()
    {
        final List<Block> blocks = new ArrayList<>();
        for (final Path page : pages())
        {
            blocks.addAll(blocks(page));
        }
        return blocks;
    }

    /**
     * The fenced blocks of one page.
     *
     * @param page a Markdown file.
     * @return its blocks in order; a fence left open fails.
     */
    static List<Block> blocks(final Path page)
    {
        final List<String> lines = lines(page);
        final List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            if (!lines.get(i).startsWith("```"))
            {
                continue;
            }
            final int open = i;
            final StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++)
            {
                text.append(lines.get(i)).append('\n');
            }
            if (i == lines.size())
            {
                throw new AssertionError(page + ":" + (open + 1) + ": a fence that is never closed");
            }
            String kind = null;
            String marker = null;
            if (open > 0)
            {
                final Matcher matcher = MARKER.matcher(lines.get(open - 1));
                if (matcher.matches())
                {
                    kind = matcher.group(1);
                    marker = matcher.group(2);
                }
            }
            blocks.add(new Block(page, open + 1, lines.get(open).substring(3).strip(), text.toString(), kind, marker));
        }
        return blocks;
    }
}
