package io.sseflow.server;

import io.sseflow.server.hub.HubOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README stays a short entry point: the two commands first, exactly as {@code .ci/run} and newcomers rely on
 * them, few enough words to read in five minutes, and a table that links every {@code docs/} page. docs/hub.md's
 * flag table has one row for each flag of the hub's usage text. Each docs page's
 * "Contents" lists its sections (## and ###, outside code blocks) in order with GitHub's anchors, and every relative
 * link of the README and the pages names a file that exists and, for a Markdown file, a heading it has.
 */
class ReadmeContentsTest
{
    private static final String TWO_COMMANDS = String.join("\n",
        "```bash",
        "mvn -q -B -pl nio-server -am -DskipTests package && java -jar nio-server/target/sseflow-server.jar   " +
            "# the hub + demo page on http://127.0.0.1:8080",
        "mvn -B verify                                                                                          " +
            "# all tests",
        "```");
    private static final int MOST_WORDS = 1_000;
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern PAGE_LINK = Pattern.compile("^\\| \\[docs/([a-z-]+\\.md)\\]\\(docs/\\1\\) \\|");

    private static final Path ROOT = Path.of(System.getProperty("basedir", "."), "..").toAbsolutePath().normalize();

    @Test
    void shouldStartWithTheTwoCommands() throws IOException
    {
        final String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        final int fence = readme.indexOf("```");
        assertTrue(readme.startsWith("# sseflow\n"), "the title first");
        assertEquals(TWO_COMMANDS, readme.substring(fence, fence + TWO_COMMANDS.length()),
            "the first block: build and run the hub, run the tests");
        assertTrue(readme.substring(0, fence).lines().allMatch((line) -> line.isEmpty() || line.startsWith("# ") ||
            line.startsWith("<!--")), "nothing a reader sees before the two commands but the title");
    }

    @Test
    void shouldBeShortEnoughToReadInFiveMinutes() throws IOException
    {
        final String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        final long words = Stream.of(readme.split("\\s+")).filter((word) -> !word.isEmpty()).count();
        assertTrue(words <= MOST_WORDS, "README.md has " + words + " words; move detail to docs/");
    }

    @Test
    void shouldLinkEveryDocsPageFromTheReadmeTable() throws IOException
    {
        final Set<String> linked = new TreeSet<>();
        for (final String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8))
        {
            final Matcher matcher = PAGE_LINK.matcher(line);
            if (matcher.find())
            {
                linked.add(matcher.group(1));
            }
        }
        assertEquals(String.join("\n", docsPages().stream().map((page) -> page.getFileName().toString()).toList()),
            String.join("\n", linked), "the README's table of docs pages");
    }

    @Test
    void shouldDescribeEveryHubFlagInOneRowOfTheFlagTable() throws IOException
    {
        final Set<String> usage = new TreeSet<>();
        final Matcher flag = Pattern.compile("(?m)^ {2}(--[a-z][a-z-]*)").matcher(HubOptions.USAGE);
        while (flag.find())
        {
            usage.add(flag.group(1));
        }
        final List<String> rows = new ArrayList<>();
        for (final String line : Files.readAllLines(ROOT.resolve("docs/hub.md"), StandardCharsets.UTF_8))
        {
            if (line.startsWith("| `--"))
            {
                final Matcher inRow = Pattern.compile("`(--[a-z][a-z-]*)").matcher(line.substring(0, line.indexOf(" | ")));
                while (inRow.find())
                {
                    rows.add(inRow.group(1));
                }
            }
        }
        assertEquals(String.join("\n", usage), String.join("\n", new TreeSet<>(rows)),
            "docs/hub.md's flag table against the hub's usage text");
        assertEquals(usage.size(), rows.size(), "each flag in one row: " + rows);
    }

    @Test
    void shouldListEverySectionOfEachDocsPageInOrderWithItsAnchor() throws IOException
    {
        for (final Path page : docsPages())
        {
            final List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            final List<String> expected = new ArrayList<>();
            for (final Heading heading : headings(lines))
            {
                if (heading.level() > 1 && !heading.title().equals("Contents"))
                {
                    expected.add((heading.level() == 2 ? "" : "  ") + "- [" + heading.title() + "](#" +
                        heading.anchor() + ")");
                }
            }
            final int start = lines.indexOf("## Contents") + 2;
            assertTrue(start > 1, page + " has a Contents section");
            final List<String> contents = new ArrayList<>();
            for (int i = start; i < lines.size() && !lines.get(i).isEmpty(); i++)
            {
                contents.add(lines.get(i));
            }
            assertEquals(String.join("\n", expected), String.join("\n", contents), page + ": Contents");
        }
    }

    @Test
    void shouldResolveEveryRelativeLinkAndAnchor() throws IOException
    {
        final List<Path> pages = new ArrayList<>(docsPages());
        pages.add(0, ROOT.resolve("README.md"));
        final List<String> broken = new ArrayList<>();
        int links = 0;
        for (final Path page : pages)
        {
            boolean code = false;
            final List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++)
            {
                final String line = lines.get(i);
                if (line.startsWith("```"))
                {
                    code = !code;
                }
                final Matcher link = LINK.matcher(line);
                while (!code && link.find())
                {
                    final String target = link.group(1);
                    if (target.matches("^[a-z]+:.*"))
                    {
                        continue;
                    }
                    links++;
                    final int hash = target.indexOf('#');
                    final Path file = hash == 0 ? page : page.getParent().resolve(hash < 0 ? target :
                        target.substring(0, hash)).normalize();
                    final String where = ROOT.relativize(page) + ":" + (i + 1) + ": " + target;
                    if (!Files.exists(file))
                    {
                        broken.add(where + " (no such file)");
                    }
                    else if (hash >= 0 && headings(Files.readAllLines(file, StandardCharsets.UTF_8)).stream()
                        .noneMatch((heading) -> heading.anchor().equals(target.substring(hash + 1))))
                    {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertTrue(links >= 30, "relative links found: " + links);
        assertEquals("", String.join("\n", broken), "broken links");
    }

    private record Heading(int level, String title, String anchor)
    {
    }

    /**
     * The headings of a page outside code blocks, each with the anchor GitHub gives it (lower case, punctuation
     * dropped, spaces as '-', "-N" after the Nth repeat).
     */
    private static List<Heading> headings(final List<String> lines)
    {
        final List<Heading> headings = new ArrayList<>();
        final Map<String, Integer> anchors = new HashMap<>();
        boolean code = false;
        for (final String line : lines)
        {
            if (line.startsWith("```"))
            {
                code = !code;
                continue;
            }
            final int level = line.indexOf(' ');
            if (code || level < 1 || level > 4 || !line.substring(0, level).chars().allMatch((c) -> c == '#'))
            {
                continue;
            }
            final String title = line.substring(level + 1);
            String anchor = title.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-');
            final int seen = anchors.merge(anchor, 1, Integer::sum) - 1;
            if (seen > 0)
            {
                anchor += "-" + seen;
            }
            headings.add(new Heading(level, title, anchor));
        }
        return headings;
    }

    private static List<Path> docsPages() throws IOException
    {
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs")))
        {
            return docs.filter((path) -> path.toString().endsWith(".md")).sorted().toList();
        }
    }
}
