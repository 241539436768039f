package io.sseflow.server;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's "Contents" lists every section (## and ###, outside code blocks) in order, each linked to GitHub's
 * anchor for its heading, so the table cannot drift from the text.
 */
class ReadmeContentsTest
{
    @Test
    void shouldListEverySectionInOrderWithItsAnchor() throws IOException
    {
        final Path readme = Path.of(System.getProperty("basedir", "."), "..", "README.md");
        final List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        final List<String> expected = new ArrayList<>();
        final Map<String, Integer> anchors = new HashMap<>();
        boolean code = false;
        for (final String line : lines)
        {
            if (line.startsWith("```"))
            {
                code = !code;
                continue;
            }
            if (code || !(line.startsWith("## ") || line.startsWith("### ")) || line.equals("## Contents"))
            {
                continue;
            }
            final boolean second = line.startsWith("## ");
            final String title = line.substring(second ? 3 : 4);
            String anchor = title.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-');
            final int seen = anchors.merge(anchor, 1, Integer::sum) - 1;
            if (seen > 0)
            {
                anchor += "-" + seen;
            }
            expected.add((second ? "" : "  ") + "- [" + title + "](#" + anchor + ")");
        }
        final int start = lines.indexOf("## Contents") + 2;
        final List<String> contents = new ArrayList<>();
        for (int i = start; i < lines.size() && !lines.get(i).isEmpty(); i++)
        {
            contents.add(lines.get(i));
        }
        assertEquals(String.join("\n", expected), String.join("\n", contents));
    }
}
