package io.sseflow.server.clients;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds Node, npm and Chromium for the real-client tests and installs the scripts' npm dependencies
 * ({@code npm ci} from the committed lock file) when {@code src/test/node/node_modules} is missing.
 * Missing tools skip the tests with a JUnit assumption that says what to install.
 */
final class NodeToolchain
{
    /**
     * Chromium used by the browser tests, {@code -Dsseflow.chromium=PATH} to use another.
     */
    static final String CHROMIUM = System.getProperty("sseflow.chromium", "/usr/bin/chromium");

    private static final int MIN_NODE_MAJOR = 20;
    private static final long NPM_CI_TIMEOUT_SECONDS = 300;
    private static final List<String> REQUIRED_MODULES = List.of("eventsource", "playwright-core");

    private static Path node;

    private NodeToolchain()
    {
    }

    /**
     * The folder of the Node scripts, {@code nio-server/src/test/node}.
     *
     * @return its absolute path.
     */
    static Path scriptsDirectory()
    {
        final String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        Path dir = Paths.get(basedir, "src", "test", "node").toAbsolutePath();
        if (!Files.isDirectory(dir))
        {
            dir = Paths.get(basedir, "nio-server", "src", "test", "node").toAbsolutePath();
        }
        return dir;
    }

    /**
     * Node, version 20 or later, with the scripts' dependencies installed; skips the test when Node is missing.
     *
     * @return the {@code node} executable.
     */
    static synchronized Path requireNodeWithModules()
    {
        if (null == node)
        {
            final Path found = onPath("node");
            assumeTrue(null != found,
                "node is not on the PATH: install Node.js " + MIN_NODE_MAJOR + "+ with npm (https://nodejs.org, or " +
                "NodeSource's apt repository; Debian 12's own nodejs package is 18, too old) to run the real-client tests");
            final String version = run(List.of(found.toString(), "--version"), scriptsDirectory(), 30).trim();
            final int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
            assumeTrue(major >= MIN_NODE_MAJOR,
                "node " + version + " at " + found + " is too old: npm eventsource@4 needs Node.js " + MIN_NODE_MAJOR + "+");
            installModulesIfMissing();
            node = found;
        }
        return node;
    }

    /**
     * Chromium for the browser tests; skips the test when it is missing.
     *
     * @return the Chromium executable.
     */
    static Path requireChromium()
    {
        final Path chromium = Paths.get(CHROMIUM);
        assumeTrue(Files.isExecutable(chromium),
            CHROMIUM + " is missing: install Chromium with `apt-get update && apt-get install -y chromium` " +
            "(Debian/Ubuntu), or point -Dsseflow.chromium=PATH at a Chromium/Chrome binary, to run the browser tests");
        return chromium;
    }

    private static void installModulesIfMissing()
    {
        final Path dir = scriptsDirectory();
        if (modulesInstalled(dir))
        {
            return;
        }
        final Path npm = onPath("npm");
        assumeTrue(null != npm,
            "npm is not on the PATH and " + dir.resolve("node_modules") + " is missing: install npm " +
            "(e.g. `apt-get install -y npm`) or run `npm ci` in " + dir);
        run(List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), dir, NPM_CI_TIMEOUT_SECONDS);
        if (!modulesInstalled(dir))
        {
            fail("`npm ci` in " + dir + " did not install " + REQUIRED_MODULES);
        }
    }

    private static boolean modulesInstalled(final Path dir)
    {
        for (final String module : REQUIRED_MODULES)
        {
            if (!Files.isRegularFile(dir.resolve("node_modules").resolve(module).resolve("package.json")))
            {
                return false;
            }
        }
        return true;
    }

    private static Path onPath(final String program)
    {
        final String path = System.getenv("PATH");
        if (null == path)
        {
            return null;
        }
        for (final String entry : path.split(File.pathSeparator))
        {
            if (entry.isEmpty())
            {
                continue;
            }
            final Path candidate = Paths.get(entry, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static String run(final List<String> command, final Path dir, final long timeoutSeconds)
    {
        try
        {
            final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final ByteArrayOutputStream output = new ByteArrayOutputStream();
            final Thread reader = new Thread(() -> copy(process.getInputStream(), output), "toolchain-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(String.join(" ", command) + " in " + dir + " took over " + timeoutSeconds + " s");
            }
            reader.join(5_000);
            final String text;
            synchronized (output)
            {
                text = output.toString(StandardCharsets.UTF_8);
            }
            if (0 != process.exitValue())
            {
                fail(String.join(" ", command) + " in " + dir + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot run " + command + " in " + dir, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, ex);
        }
    }

    private static void copy(final InputStream in, final ByteArrayOutputStream out)
    {
        final byte[] buffer = new byte[8192];
        try
        {
            int read;
            while ((read = in.read(buffer)) > 0)
            {
                synchronized (out)
                {
                    out.write(buffer, 0, read);
                }
            }
        }
        catch (final IOException ignore)
        {
            // process ended
        }
    }
}
