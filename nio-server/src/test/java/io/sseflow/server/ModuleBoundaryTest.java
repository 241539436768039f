package io.sseflow.server;

import com.dslplatform.json.DslJson;
import io.sseflow.encoder.EventFrameEncoder;
import io.sseflow.server.support.ChildProcess;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nio-server's module boundary: the module {@code io.sseflow.server} exports the embedding API, the sequencer SPI and
 * the selectors the API's answers are made of, and nothing else; no exported signature names an internal type; an
 * application module cannot compile against the internals; and an application on the module path embeds the
 * in-memory server (start, subscribe over loopback, publish text, a {@code Map} and a {@code @CompiledJson} record
 * whose generated converter the application module {@code provides}) with neither Aeron nor nimbus-jose-jwt on it.
 * The tests themselves run on the class path (surefire's {@code useModulePath=false}), so they read the module's
 * compiled classes and descriptor from the build's output and start javac and a JVM of their own on the module path.
 */
class ModuleBoundaryTest
{
    private static final Set<String> EXPORTED = Set.of(
        "io.sseflow.server", "io.sseflow.server.sequencer", "io.sseflow.server.selector");
    private static final Set<String> INTERNAL = Set.of(
        "io.sseflow.server.agent", "io.sseflow.server.cluster", "io.sseflow.server.http", "io.sseflow.server.hub",
        "io.sseflow.server.fanout", "io.sseflow.server.hub.jwt", "io.sseflow.server.log", "io.sseflow.server.mercure",
        "io.sseflow.server.transport");
    /** What exported signatures may name besides the exported packages: the JDK and the modules read transitively. */
    private static final List<String> READ_TRANSITIVELY = List.of(
        "java.", "org.agrona.", "io.sseflow.encoder.", "com.dslplatform.json.");

    @TempDir
    Path work;

    @Test
    void shouldExportTheApiTheSequencerSpiAndTheSelectorsOnly() throws Exception
    {
        final ModuleDescriptor server = descriptor(location(SseServer.class), "io.sseflow.server");

        assertEquals(EXPORTED, server.exports().stream()
            .peek((export) -> assertFalse(export.isQualified(), export.toString()))
            .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of(), server.opens());
        assertFalse(server.isOpen());
        final Set<String> all = new TreeSet<>(EXPORTED);
        all.addAll(INTERNAL);
        assertEquals(all, new TreeSet<>(server.packages()));

        assertEquals(Map.ofEntries(
            Map.entry("io.sseflow.encoder", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
            Map.entry("org.agrona", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE)),
            Map.entry("java.management", Set.of()),
            Map.entry("jdk.management", Set.of()),
            Map.entry("java.logging", Set.of()),
            Map.entry("io.aeron.client", Set.of(ModuleDescriptor.Requires.Modifier.STATIC)),
            Map.entry("io.aeron.driver", Set.of(ModuleDescriptor.Requires.Modifier.STATIC)),
            Map.entry("io.aeron.archive", Set.of(ModuleDescriptor.Requires.Modifier.STATIC)),
            Map.entry("io.aeron.cluster", Set.of(ModuleDescriptor.Requires.Modifier.STATIC)),
            Map.entry("com.nimbusds.jose.jwt", Set.of(ModuleDescriptor.Requires.Modifier.STATIC))),
            server.requires().stream()
                .filter((requires) -> !requires.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers)));

        final ModuleDescriptor encoder = descriptor(location(EventFrameEncoder.class), "io.sseflow.encoder");
        assertEquals(Set.of("io.sseflow.encoder"), encoder.exports().stream()
            .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Map.of(
            "org.agrona", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
            "dsl.json", Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
            "java.sql", Set.of()),
            encoder.requires().stream()
                .filter((requires) -> !requires.name().equals("java.base"))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers)));
    }

    @Test
    void shouldNameNoInternalTypeInAnExportedSignature() throws Exception
    {
        final Path classes = location(SseServer.class);
        final Set<String> leaks = new TreeSet<>();
        final Set<String> publicTypes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes, 6))
        {
            for (final Path file : (Iterable<Path>)files.filter((path) -> path.toString().endsWith(".class"))::iterator)
            {
                final String name = classes.relativize(file).toString()
                    .replace(File.separatorChar, '.').replaceAll("\\.class$", "");
                if (name.equals("module-info") || !EXPORTED.contains(packageOf(name)))
                {
                    continue;
                }
                final Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (isVisibleOutside(type))
                {
                    publicTypes.add(name);
                    collectLeaks(type, leaks);
                }
            }
        }
        assertEquals(Set.of(), leaks);
        assertTrue(publicTypes.containsAll(Set.of("io.sseflow.server.SseServer$Builder",
            "io.sseflow.server.sequencer.EventSequencer", "io.sseflow.server.selector.TopicSelector")), publicTypes::toString);
    }

    @Test
    void shouldNotCompileAnApplicationModuleThatUsesTheInternals() throws Exception
    {
        final Path source = work.resolve("internals-src");
        write(source.resolve("module-info.java"), "module app.internals { requires io.sseflow.server; }\n");
        write(source.resolve("app/internals/Uses.java"), String.join("\n",
            "package app.internals;",
            "import io.sseflow.server.http.HttpRequestParser;",
            "import io.sseflow.server.transport.SelectorPoller;",
            "import io.sseflow.server.log.TopicLog;",
            "import io.sseflow.server.agent.ServerRuntime;",
            "import io.sseflow.server.mercure.MercurePublishDecoder;",
            "import io.sseflow.server.hub.SseHub;",
            "import io.sseflow.server.SseServer;",
            "public final class Uses { SseServer server; }",
            ""));

        final List<String> errors = compile(source, work.resolve("internals-out"));

        final List<String> expected = Stream.of("http", "transport", "log", "agent", "mercure", "hub")
            .map((name) -> "package io.sseflow.server." + name + " is not visible\n" +
                "  (package io.sseflow.server." + name + " is declared in module io.sseflow.server, " +
                "which does not export it)")
            .toList();
        assertEquals(expected, errors);
    }

    @Test
    void shouldEmbedTheInMemoryServerFromTheModulePathWithoutAeronOrNimbus() throws Exception
    {
        final Path source = work.resolve("app-src");
        final Path out = work.resolve("app-out");
        write(source.resolve("module-info.java"), String.join("\n",
            "module app.embedding",
            "{",
            "    requires io.sseflow.server;",
            "    provides com.dslplatform.json.Configuration with app.embedding._Price_DslJsonConverter;",
            "}",
            ""));
        write(source.resolve("app/embedding/Price.java"), String.join("\n",
            "package app.embedding;",
            "@com.dslplatform.json.CompiledJson",
            "public record Price(String symbol, int cents)",
            "{",
            "}",
            ""));
        write(source.resolve("app/embedding/Main.java"), EMBEDDING_APP);
        assertEquals(List.of(), compile(source, out));

        final List<String> command = List.of(ChildProcess.javaBinary(),
            "--add-exports", "java.base/jdk.internal.misc=org.agrona,io.sseflow.server",
            "--add-opens", "java.base/sun.nio.ch=io.sseflow.server",
            "--module-path", out + File.pathSeparator + modulePath(),
            "--module", "app.embedding/app.embedding.Main");
        final Path output = work.resolve("app.out");
        final Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try
        {
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the application did not end");
            assertEquals(String.join("\n",
                "module io.sseflow.server, exported: io.sseflow.server true, io.sseflow.server.sequencer true, " +
                    "io.sseflow.server.http false, io.sseflow.server.log false, io.sseflow.server.agent false",
                "aeron: false, nimbus: false",
                "HTTP/1.1 200 OK",
                "id: 1\\ndata: from a module\\n\\nid: 2\\ndata: {\"n\":1}\\n\\nid: 3\\ndata: {\"symbol\":\"abc\",\"cents\":5}\\n\\n",
                ""), Files.readString(output));
            assertEquals(0, app.exitValue());
        }
        finally
        {
            app.destroyForcibly();
        }
    }

    private static final String EMBEDDING_APP = String.join("\n",
        "package app.embedding;",
        "",
        "import io.sseflow.server.PublishResult;",
        "import io.sseflow.server.SseServer;",
        "import io.sseflow.server.Topic;",
        "",
        "import java.io.InputStream;",
        "import java.net.Socket;",
        "import java.nio.charset.StandardCharsets;",
        "import java.util.Map;",
        "",
        "public final class Main",
        "{",
        "    public static void main(final String[] args) throws Exception",
        "    {",
        "        final Module module = SseServer.class.getModule();",
        "        final StringBuilder exported = new StringBuilder(\"module \" + module.getName() + \", exported:\");",
        "        for (final String name : new String[]{\"\", \".sequencer\", \".http\", \".log\", \".agent\"})",
        "        {",
        "            final String pkg = \"io.sseflow.server\" + name;",
        "            exported.append(name.isEmpty() ? \" \" : \", \").append(pkg).append(' ')",
        "                .append(module.isExported(pkg));",
        "        }",
        "        System.out.println(exported);",
        "        System.out.println(\"aeron: \" + ModuleLayer.boot().findModule(\"io.aeron.cluster\").isPresent() +",
        "            \", nimbus: \" + ModuleLayer.boot().findModule(\"com.nimbusds.jose.jwt\").isPresent());",
        "        try (SseServer server = SseServer.builder().host(\"127.0.0.1\").port(0).start();",
        "            Socket socket = new Socket(\"127.0.0.1\", server.port()))",
        "        {",
        "            socket.setSoTimeout(10_000);",
        "            socket.getOutputStream().write((\"GET /events/t HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n\")",
        "                .getBytes(StandardCharsets.US_ASCII));",
        "            final InputStream in = socket.getInputStream();",
        "            final String head = readUntil(in, \"\\r\\n\\r\\n\");",
        "            System.out.println(head.substring(0, head.indexOf('\\r')));",
        "            final long deadline = System.nanoTime() + 20_000_000_000L;",
        "            while (server.metrics().subscribers() < 1)",
        "            {",
        "                if (System.nanoTime() > deadline)",
        "                {",
        "                    throw new IllegalStateException(\"no subscriber after 20 s\");",
        "                }",
        "                Thread.sleep(1);",
        "            }",
        "            final Topic topic = server.topic(\"t\");",
        "            check(topic.publish(\"from a module\"));",
        "            check(topic.publish(Map.of(\"n\", 1)));",
        "            check(topic.publish(new Price(\"abc\", 5)));",
        "            final String frames = readUntil(in, \"id: 3\") + readUntil(in, \"\\n\\n\");",
        "            System.out.println(frames.replace(\"\\n\", \"\\\\n\"));",
        "        }",
        "    }",
        "",
        "    private static void check(final PublishResult result)",
        "    {",
        "        if (result != PublishResult.OK)",
        "        {",
        "            throw new IllegalStateException(\"publish: \" + result);",
        "        }",
        "    }",
        "",
        "    private static String readUntil(final InputStream in, final String end) throws Exception",
        "    {",
        "        final StringBuilder text = new StringBuilder();",
        "        while (text.length() < 65_536 && !text.toString().endsWith(end))",
        "        {",
        "            final int b = in.read();",
        "            if (b < 0)",
        "            {",
        "                throw new IllegalStateException(\"stream ended after: \" + text);",
        "            }",
        "            text.append((char)b);",
        "        }",
        "        return text.toString();",
        "    }",
        "}",
        "");

    private static ModuleDescriptor descriptor(final Path location, final String name)
    {
        return ModuleFinder.of(location).find(name)
            .orElseThrow(() -> new AssertionError("no module " + name + " in " + location)).descriptor();
    }

    /**
     * nio-server's and the encoder's classes, Agrona and dsl-json: what an embedding application's module path
     * holds, and neither Aeron nor nimbus-jose-jwt.
     */
    private static String modulePath() throws URISyntaxException
    {
        final List<Path> path = List.of(location(SseServer.class), location(EventFrameEncoder.class),
            location(DirectBuffer.class), location(DslJson.class));
        for (final Path entry : path)
        {
            assertFalse(entry.toString().contains("aeron") || entry.toString().contains("nimbus"), entry.toString());
        }
        return path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private List<String> compile(final Path sourceRoot, final Path out) throws Exception
    {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
            Stream<Path> walk = Files.walk(sourceRoot, 4))
        {
            final List<Path> sources = walk.filter((path) -> path.toString().endsWith(".java")).toList();
            // an explicit, empty class path: javac in this JVM would otherwise take the tests' class path, where
            // nio-server's packages are in the unnamed module
            final Path noClasses = Files.createDirectories(work.resolve("no-classes"));
            final List<String> options = List.of("-Xlint:none", "--module-path", modulePath(),
                "--class-path", noClasses.toString(), "--processor-path", location(DslJson.class).toString(),
                "-d", out.toString());
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        return diagnostics.getDiagnostics().stream()
            .filter((diagnostic) -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
            .map((diagnostic) -> diagnostic.getMessage(null))
            .toList();
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static Path location(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String packageOf(final String className)
    {
        final int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static boolean isVisibleOutside(final Class<?> type)
    {
        for (Class<?> t = type; null != t; t = t.getDeclaringClass())
        {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass())
            {
                return false;
            }
        }
        return true;
    }

    private static void collectLeaks(final Class<?> type, final Set<String> leaks)
    {
        final String owner = type.getName();
        if (null != type.getGenericSuperclass())
        {
            check(owner + " extends", type.getGenericSuperclass(), leaks);
        }
        for (final Type implemented : type.getGenericInterfaces())
        {
            check(owner + " implements", implemented, leaks);
        }
        for (final Field field : type.getDeclaredFields())
        {
            if (isApi(field))
            {
                check(owner + "." + field.getName(), field.getGenericType(), leaks);
            }
        }
        for (final Constructor<?> constructor : type.getDeclaredConstructors())
        {
            if (isApi(constructor))
            {
                checkAll(owner + ".<init>", constructor.getGenericParameterTypes(), leaks);
                checkAll(owner + ".<init> throws", constructor.getGenericExceptionTypes(), leaks);
            }
        }
        for (final Method method : type.getDeclaredMethods())
        {
            if (isApi(method) && !method.isBridge())
            {
                final String where = owner + "." + method.getName();
                check(where + " returns", method.getGenericReturnType(), leaks);
                checkAll(where, method.getGenericParameterTypes(), leaks);
                checkAll(where + " throws", method.getGenericExceptionTypes(), leaks);
            }
        }
    }

    private static boolean isApi(final Member member)
    {
        final int modifiers = member.getModifiers();
        return !member.isSynthetic() && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
    }

    private static void checkAll(final String where, final Type[] types, final Set<String> leaks)
    {
        for (final Type type : types)
        {
            check(where, type, leaks);
        }
    }

    private static void check(final String where, final Type type, final Set<String> leaks)
    {
        if (type instanceof Class<?> raw)
        {
            Class<?> element = raw;
            while (element.isArray())
            {
                element = element.getComponentType();
            }
            final String name = element.getName();
            if (!element.isPrimitive() && !EXPORTED.contains(element.getPackageName()) &&
                READ_TRANSITIVELY.stream().noneMatch(name::startsWith))
            {
                leaks.add(where + ": " + name);
            }
        }
        else if (type instanceof ParameterizedType parameterized)
        {
            check(where, parameterized.getRawType(), leaks);
            checkAll(where, parameterized.getActualTypeArguments(), leaks);
        }
        else if (type instanceof WildcardType wildcard)
        {
            checkAll(where, wildcard.getUpperBounds(), leaks);
            checkAll(where, wildcard.getLowerBounds(), leaks);
        }
        else if (type instanceof GenericArrayType array)
        {
            check(where, array.getGenericComponentType(), leaks);
        }
        else if (type instanceof TypeVariable<?> variable)
        {
            for (final Type bound : variable.getBounds())
            {
                // the bound's own type arguments may name the variable again (T extends Comparable<T>)
                check(where, bound instanceof ParameterizedType p ? p.getRawType() : bound, leaks);
            }
        }
    }
}
