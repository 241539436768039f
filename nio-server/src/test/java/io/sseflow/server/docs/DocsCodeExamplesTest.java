package io.sseflow.server.docs;

import io.sseflow.server.docs.DocPages.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The code examples of README.md and {@code docs/*.md} that need no hub: every {@code java} block compiles
 * against the test class path, every {@code js} block parses ({@code node --check}), and the few blocks marked
 * {@code <!-- not run: REASON -->} each give a reason; the nginx recipe's directives are those {@code NginxProxyTest}
 * runs nginx with (but its own port, name and certificate). The {@code bash} blocks run in
 * {@code DocsShellExamplesIT}.
 * <p>
 * A {@code java} block with a top-level type declaration is compiled as it is. Any other block is a fragment:
 * its leading {@code import} lines stay imports, the rest becomes the body of
 * {@code static void example(PARAMETERS) throws Exception} in a class of its own, with
 * {@code DECLARATIONS} as that class's members, both taken from a {@code <!-- java fragment: PARAMETERS |
 * DECLARATIONS -->} line above the block (both optional). Every block gets {@link #IMPORTS} too. All blocks are
 * compiled together, so a fragment may use a type another block declares (the encoder page's {@code Trade}).
 */
class DocsCodeExamplesTest
{
    /**
     * Imports every example gets, so that a fragment need not repeat them.
     */
    static final List<String> IMPORTS = List.of("java.io.*", "java.nio.*", "java.util.*", "java.util.function.*",
        "io.sseflow.encoder.*", "io.sseflow.server.*", "org.agrona.*", "org.agrona.concurrent.*",
        "com.dslplatform.json.CompiledJson");

    /**
     * At most this many blocks may be left unrun; each must say why.
     */
    static final int MOST_NOT_RUN = 5;

    private static final Pattern TYPE = Pattern.compile("(?m)^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)");

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void shouldCompileEveryJavaExample() throws IOException
    {
        final Map<Path, Block> sources = new HashMap<>();
        int fragment = 0;
        for (final Block block : DocPages.blocks())
        {
            if (!block.language().equals("java"))
            {
                continue;
            }
            assertTrue(null == block.markerKind() || block.markerKind().equals("java fragment"),
                block.where() + ": a java block takes only a 'java fragment' marker");
            final Matcher type = TYPE.matcher(block.text());
            final String source;
            final String name;
            if (type.find())
            {
                assertTrue(null == block.markerKind(), block.where() + ": a complete type needs no fragment marker");
                name = type.group(1);
                source = imports() + block.text();
            }
            else
            {
                name = "DocsExample" + ++fragment;
                source = wrap(block, name);
            }
            final Path file = work.resolve("src").resolve(name + ".java");
            assertFalse(Files.exists(file), block.where() + ": a second example declares " + name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, source, StandardCharsets.UTF_8);
            sources.put(file, block);
        }
        assertTrue(sources.size() >= 5, "the java examples found: " + sources.size());

        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8))
        {
            final Path out = Files.createDirectories(work.resolve("classes"));
            final List<String> options = List.of("-proc:none", "-Xlint:none", "-d", out.toString(),
                "--class-path", System.getProperty("java.class.path"));
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources.keySet()))
                .call();
        }
        final List<String> errors = new ArrayList<>();
        for (final Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics())
        {
            if (diagnostic.getKind() == Diagnostic.Kind.ERROR)
            {
                final Path file = Path.of(diagnostic.getSource().toUri());
                errors.add(sources.get(file).where() + " (" + file.getFileName() + " line " +
                    diagnostic.getLineNumber() + "): " + diagnostic.getMessage(null) + "\n" +
                    Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertEquals("", String.join("\n\n", errors), "the java examples compile");
    }

    @Test
    @Timeout(120)
    void shouldParseEveryJavaScriptExample() throws Exception
    {
        final List<Block> scripts = DocPages.blocks().stream().filter((block) -> block.language().equals("js")).toList();
        assertTrue(scripts.size() >= 3, "the js examples found: " + scripts.size());
        assumeTrue(nodeAvailable(), "node is not installed: the js examples are not parsed");
        for (int i = 0; i < scripts.size(); i++)
        {
            final Block block = scripts.get(i);
            final Path file = work.resolve("example-" + i + ".js");
            Files.writeString(file, block.text(), StandardCharsets.UTF_8);
            final Process node = new ProcessBuilder("node", "--check", file.toString()).redirectErrorStream(true).start();
            final String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, node.exitValue(), block.where() + ": node --check: " + output);
        }
    }

    @Test
    void shouldGiveTheNginxRecipeThatNginxProxyTestRuns() throws Exception
    {
        final List<Block> recipes = DocPages.blocks().stream().filter((block) -> block.language().equals("nginx")).toList();
        assertEquals(1, recipes.size(), "the nginx recipe");
        final Method config = Class.forName("io.sseflow.server.clients.NginxProxyTest")
            .getDeclaredMethod("nginxConfig", Path.class, int.class, int.class);
        config.setAccessible(true);
        final String tested = ((String)config.invoke(null, Path.of("/tmp/nginx-test"), 8443, 8080)).lines()
            .map(String::strip).collect(Collectors.joining("\n"));
        for (final String line : recipes.get(0).text().split("\n"))
        {
            final int hash = line.indexOf('#');
            final String directive = (hash < 0 ? line : line.substring(0, hash)).strip();
            // the test listens on its own port and certificate
            if (!directive.isEmpty() && !directive.startsWith("listen ") && !directive.startsWith("server_name ") &&
                !directive.startsWith("ssl_certificate"))
            {
                assertTrue(("\n" + tested + "\n").contains("\n" + directive + "\n"),
                    recipes.get(0).where() + ": NginxProxyTest runs nginx without `" + directive + "`");
            }
        }
    }

    @Test
    void shouldMarkOnlyAFewBlocksAsNotRunEachWithItsReason()
    {
        final List<String> notRun = new ArrayList<>();
        for (final Block block : DocPages.blocks())
        {
            if (null == block.markerKind())
            {
                continue;
            }
            assertTrue(block.markerKind().equals("not run") || block.markerKind().equals("java fragment"),
                block.where() + ": unknown marker '" + block.markerKind() + "'");
            if (block.markerKind().equals("not run"))
            {
                assertTrue(block.marker().length() >= 20, block.where() + ": a block not run says why");
                notRun.add(block.where() + ": " + block.marker());
            }
        }
        assertTrue(notRun.size() <= MOST_NOT_RUN, "blocks not run: " + notRun);
    }

    private static String imports()
    {
        final StringBuilder imports = new StringBuilder();
        for (final String name : IMPORTS)
        {
            imports.append("import ").append(name).append(";\n");
        }
        return imports.toString();
    }

    private static String wrap(final Block block, final String name)
    {
        final StringBuilder imports = new StringBuilder(imports());
        final StringBuilder body = new StringBuilder();
        boolean leading = true;
        for (final String line : block.text().split("\n", -1))
        {
            if (leading && (line.startsWith("import ") || line.isBlank()))
            {
                imports.append(line).append('\n');
                continue;
            }
            leading = false;
            body.append("        ").append(line).append('\n');
        }
        final String marker = null == block.marker() ? "" : block.marker();
        final int bar = marker.indexOf('|');
        final String parameters = (bar < 0 ? marker : marker.substring(0, bar)).strip();
        final String declarations = bar < 0 ? "" : marker.substring(bar + 1).strip();
        return imports + "\nfinal class " + name + "\n{\n    " + declarations + "\n\n" +
            "    static void example(" + parameters + ") throws Exception\n    {\n" + body + "    }\n}\n";
    }

    private static boolean nodeAvailable()
    {
        for (final String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(directory, "node")))
            {
                return true;
            }
        }
        return false;
    }
}
