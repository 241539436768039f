package io.sseflow.server.docs;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.sseflow.server.docs.DocPages.Block;
import io.sseflow.server.support.Await;
import io.sseflow.server.support.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every {@code bash} block of README.md and {@code docs/*.md} run against the hub jar, command by command, unless
 * the line above it says {@code <!-- not run: REASON -->} ({@code DocsCodeExamplesTest} keeps those few). A block
 * starts its own hub ({@code java -jar nio-server/target/sseflow-server.jar FLAGS}, run with {@code --port 0} and a
 * fresh {@code --data-dir}; {@code 127.0.0.1:PORT} in later commands becomes the port it got) and calls it with
 * {@code curl}; any other command fails the test, so a new kind of example is either run here or marked.
 * <p>
 * Each curl command runs in bash, with {@code $TOKEN}, {@code $PUBLISHER_JWT} and {@code $SUBSCRIBER_JWT} set to
 * HS256 tokens signed with the hub's {@code --jwt-key} (claims: {@link #TOKEN}, {@link #PUBLISHER_JWT},
 * {@link #SUBSCRIBER_JWT}). It must exit 0 and be answered 2xx, or the 4xx its trailing comment names
 * ({@code # 401 without the token}); the {@code # → TEXT} lines under it must appear in its output in order. A
 * stream ({@code curl -N}) runs in the background from its response head to the end of the block, so the publishes
 * after it reach it; its output lines are awaited then. A hub command with {@code --print-config} or
 * {@code --version} runs to its end (exit 0), its output lines checked on stdout. Each hub ends with SIGTERM, and
 * must exit 143.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DocsShellExamplesIT
{
    static final String TOKEN = "{\"mercure\":{\"publish\":[\"news\"],\"subscribe\":[\"news\"]}}";
    static final String PUBLISHER_JWT = "{\"mercure\":{\"publish\":[\"*\"]}}";
    static final String SUBSCRIBER_JWT = "{\"mercure\":{\"subscribe\":[\"https://example.com/books/{id}\"]}}";

    private static final String HUB_JAR = "nio-server/target/sseflow-server.jar";
    private static final Pattern HUB = Pattern.compile("^((?:[A-Z_]+=\\S+\\s+)*)java -jar " +
        Pattern.quote(HUB_JAR) + "(\\s.*)?$");
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/[0-9.]+ (\\d{3})");
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path work;

    private int files;

    @Test
    void shouldRunEveryShellExampleAgainstTheHubJar() throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")),
            "curl is not installed: the shell examples are not run");
        ChildProcess.hubJar();
        int blocks = 0;
        int commands = 0;
        for (final Block block : DocPages.blocks())
        {
            if (!block.language().equals("bash") || "not run".equals(block.markerKind()))
            {
                continue;
            }
            blocks++;
            commands += run(block);
        }
        System.out.println("DocsShellExamplesIT: ran " + commands + " commands of " + blocks + " bash blocks");
        assertTrue(blocks >= 12 && commands >= 40, "bash blocks run: " + blocks + ", commands: " + commands);
    }

    private int run(final Block block) throws Exception
    {
        final List<ShellExample> commands = ShellExample.parse(block.text(), block.line() + 1);
        final List<Stream> streams = new ArrayList<>();
        Process hub = null;
        String docPort = null;
        int port = 0;
        final Map<String, String> environment = new HashMap<>();
        try
        {
            for (final ShellExample command : commands)
            {
                final String where = DocPages.root().relativize(block.page()) + ":" + command.line() + ": `" +
                    command.command() + "`";
                final Matcher hubCommand = HUB.matcher(command.command());
                if (hubCommand.matches())
                {
                    final List<String> arguments = ShellExample.words(null == hubCommand.group(2) ? "" : hubCommand.group(2));
                    final Map<String, String> variables = variables(hubCommand.group(1));
                    if (arguments.contains("--print-config") || arguments.contains("--version"))
                    {
                        runToEnd(where, command, arguments, variables);
                        continue;
                    }
                    assertTrue(null == hub, where + ": one hub per block");
                    docPort = flagValue(arguments, "--port", "8080");
                    arguments.removeIf((word) -> word.startsWith("--port="));
                    replaceFlag(arguments, "--port", "0");
                    replaceFlag(arguments, "--data-dir", Files.createTempDirectory(work, "data").toString());
                    final Path stderr = file("hub.err");
                    final ProcessBuilder builder = new ProcessBuilder(hubCommand(arguments))
                        .redirectError(stderr.toFile());
                    builder.environment().putAll(variables);
                    hub = builder.start();
                    final String url = ChildProcess.awaitListening(hub, stderr);
                    port = ChildProcess.port(url);
                    assertOutput(where, command, "sseflow listening on " + url + "\n", docPort, port);
                    final String key = flagValue(arguments, "--jwt-key", null);
                    if (null != key)
                    {
                        environment.put("TOKEN", sign(key, TOKEN));
                        environment.put("PUBLISHER_JWT", sign(key, PUBLISHER_JWT));
                        environment.put("SUBSCRIBER_JWT", sign(key, SUBSCRIBER_JWT));
                    }
                }
                else if (command.command().startsWith("curl "))
                {
                    assertTrue(null != hub, where + ": a block that calls curl starts its hub first");
                    final Stream stream = curl(where, command, docPort, port, environment);
                    if (null != stream)
                    {
                        streams.add(stream);
                    }
                }
                else
                {
                    fail(where + ": the docs test cannot run this; run it here, or mark the block " +
                        "<!-- not run: REASON -->");
                }
            }
            for (final Stream stream : streams)
            {
                awaitOutput(stream.where, stream.command, stream.output, stream.docPort, stream.port);
            }
            if (null != hub)
            {
                assertTrue(ChildProcess.stop(hub, Duration.ofSeconds(20)), block.where() + ": the hub stops on SIGTERM");
                assertEquals(SIGTERM_EXIT, hub.exitValue(), block.where() + ": the hub's exit status after SIGTERM");
            }
        }
        finally
        {
            for (final Stream stream : streams)
            {
                stream.curl.destroyForcibly();
            }
            if (null != hub)
            {
                ChildProcess.kill(hub);
            }
        }
        return commands.size();
    }

    private Stream curl(
        final String where, final ShellExample command, final String docPort, final int port,
        final Map<String, String> environment) throws Exception
    {
        final boolean stream = ShellExample.words(command.command()).contains("-N");
        final Path head = file("head");
        final Path output = file("out");
        final String line = "curl -sS -D " + head + " -o " + output + " --max-time " + (stream ? 120 : 20) + " " +
            command.command().substring("curl ".length()).replace("127.0.0.1:" + docPort, "127.0.0.1:" + port);
        final ProcessBuilder builder = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true)
            .redirectOutput(file("curl.log").toFile());
        builder.environment().putAll(environment);
        final Process curl = builder.start();
        if (stream)
        {
            Await.condition(() -> readQuietly(head).contains("\r\n\r\n") || !curl.isAlive(),
                where + ": the stream's response head", Await.DEFAULT_TIMEOUT);
            if (!curl.isAlive())
            {
                assertEquals(0, curl.exitValue(), where + ": curl's exit status");
            }
            assertStatus(where, command, head);
            return new Stream(where, command, curl, output, docPort, port);
        }
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS), where + ": curl ends");
        assertEquals(0, curl.exitValue(), where + ": curl's exit status");
        assertStatus(where, command, head);
        assertOutput(where, command, Files.readString(output, StandardCharsets.UTF_8), docPort, port);
        return null;
    }

    private void runToEnd(
        final String where, final ShellExample command, final List<String> arguments,
        final Map<String, String> variables) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(hubCommand(arguments)).redirectError(file("hub.err").toFile());
        builder.environment().putAll(variables);
        final Process hub = builder.start();
        final String stdout = new String(hub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(hub.waitFor(30, TimeUnit.SECONDS), where + ": ends by itself");
        assertEquals(0, hub.exitValue(), where + ": exit status");
        assertOutput(where, command, stdout, null, 0);
    }

    private static List<String> hubCommand(final List<String> arguments)
    {
        final List<String> command = new ArrayList<>(List.of(ChildProcess.javaBinary(), "-jar",
            ChildProcess.hubJar().getPath()));
        command.addAll(arguments);
        return command;
    }

    private static void assertStatus(final String where, final ShellExample command, final Path head) throws IOException
    {
        final Matcher status = STATUS_LINE.matcher(Files.readString(head, StandardCharsets.ISO_8859_1));
        int last = 0;
        while (status.find())
        {
            last = Integer.parseInt(status.group(1));
        }
        final int expected = command.expectedStatus();
        if (0 == expected)
        {
            assertTrue(last >= 200 && last < 300, where + ": answered " + last + ", expected 2xx");
        }
        else
        {
            assertEquals(expected, last, where + ": the status its comment names");
        }
    }

    private static void assertOutput(
        final String where, final ShellExample command, final String output, final String docPort, final int port)
    {
        final String missing = missing(command, output, docPort, port);
        assertEquals("", missing, where + ": its output lines (# →), in order, in its output:\n" + output);
    }

    private static void awaitOutput(
        final String where, final ShellExample command, final Path output, final String docPort, final int port)
    {
        try
        {
            Await.condition(() -> missing(command, readQuietly(output), docPort, port)
                .isEmpty(), where + ": its output lines (# →)", Await.DEFAULT_TIMEOUT);
        }
        catch (final AssertionError ex)
        {
            assertOutput(where, command, readQuietly(output), docPort, port);
            throw ex;
        }
    }

    private static String missing(final ShellExample command, final String output, final String docPort, final int port)
    {
        int from = 0;
        for (final String text : command.expected())
        {
            final String wanted = null == docPort ? text : text.replace("127.0.0.1:" + docPort, "127.0.0.1:" + port);
            final int at = output.indexOf(wanted, from);
            if (at < 0)
            {
                return wanted;
            }
            from = at + wanted.length();
        }
        return "";
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static Map<String, String> variables(final String assignments)
    {
        final Map<String, String> variables = new HashMap<>();
        for (final String word : ShellExample.words(assignments))
        {
            final int equals = word.indexOf('=');
            variables.put(word.substring(0, equals), word.substring(equals + 1));
        }
        return variables;
    }

    private static String flagValue(final List<String> arguments, final String flag, final String otherwise)
    {
        for (int i = 0; i < arguments.size(); i++)
        {
            if (arguments.get(i).equals(flag) && i + 1 < arguments.size())
            {
                return arguments.get(i + 1);
            }
            if (arguments.get(i).startsWith(flag + "="))
            {
                return arguments.get(i).substring(flag.length() + 1);
            }
        }
        return otherwise;
    }

    private static void replaceFlag(final List<String> arguments, final String flag, final String value)
    {
        final int at = arguments.indexOf(flag);
        if (at >= 0)
        {
            arguments.set(at + 1, value);
        }
        else if (flag.equals("--port"))
        {
            arguments.addAll(List.of(flag, value));
        }
    }

    private static String sign(final String key, final String claims) throws JOSEException
    {
        final JWSObject token = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(claims));
        token.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return token.serialize();
    }

    private Path file(final String name) throws IOException
    {
        return Files.createFile(work.resolve(++files + "-" + name));
    }

    private record Stream(String where, ShellExample command, Process curl, Path output, String docPort, int port)
    {
    }
}
