package io.sseflow.server.support;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ext4 file system in an image file, loop-mounted on a directory, for power-loss tests: what the inner file system
 * has written to its loop device is in the image file (through the host's page cache), what it still holds dirty in
 * its own page cache is not, so a copy of the image taken while a process writes is what a power cut would leave on
 * the disk. Mounted with a 60 s journal commit interval, so that ext4's own periodic commit (5 s by default) does not
 * write data out behind the test's back: only what a process forced to stable storage is sure to be in a copy.
 * <p>
 * Needs root, {@code losetup} with a free loop device and {@code mkfs.ext4}; {@link #unavailableReason()} says why a
 * machine cannot. Every command is bounded in time; {@link #close()} unmounts, detaches and deletes the image.
 */
public final class LoopFileSystem implements AutoCloseable
{
    private static final long COMMAND_TIMEOUT_S = 60;

    private final File image;
    private final File mountPoint;
    private String device;
    private boolean mounted;

    private LoopFileSystem(final File image, final File mountPoint)
    {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /**
     * Why this machine cannot run a loop-mounted file system, or null when it can.
     *
     * @return the reason, or null.
     */
    public static String unavailableReason()
    {
        try
        {
            final Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            final String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!"0".equals(uid))
            {
                return "not root (uid " + uid + "): mounting a loop device needs root";
            }
            final Result free = run("losetup", "--find");
            if (0 != free.exitCode)
            {
                return "no free loop device: " + free.output;
            }
            final Result mkfs = run("mkfs.ext4", "-V");
            if (0 != mkfs.exitCode)
            {
                return "mkfs.ext4 does not run: " + mkfs.output;
            }
            return null;
        }
        catch (final IOException ex)
        {
            return "cannot run losetup or mkfs.ext4: " + ex.getMessage();
        }
    }

    /**
     * Make a fresh ext4 file system in a sparse image file and mount it.
     *
     * @param image      the image file to create.
     * @param mountPoint the directory to mount it on (created).
     * @param bytes      size of the image.
     * @return the mounted file system.
     */
    public static LoopFileSystem create(final File image, final File mountPoint, final long bytes) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(image, "rw"))
        {
            file.setLength(bytes);
        }
        check(run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", image.getPath()));
        return mount(image, mountPoint);
    }

    /**
     * Mount an existing image (a copy taken by {@link #copyImageTo(File)}); ext4 replays its journal as after a
     * power cut.
     *
     * @param image      the image file.
     * @param mountPoint the directory to mount it on (created).
     * @return the mounted file system.
     */
    public static LoopFileSystem mount(final File image, final File mountPoint) throws IOException
    {
        final LoopFileSystem fs = new LoopFileSystem(image, mountPoint);
        try
        {
            Files.createDirectories(mountPoint.toPath());
            fs.device = check(run("losetup", "--find", "--show", image.getPath())).output.trim();
            check(run("mount", "-t", "ext4", "-o", "commit=60", fs.device, mountPoint.getPath()));
            fs.mounted = true;
            return fs;
        }
        catch (final IOException | RuntimeException ex)
        {
            fs.close();
            throw ex;
        }
    }

    /**
     * Copy the image file as it is now on the loop device: what a power cut would leave (sparse, so it is quick).
     *
     * @param copy the file to write.
     */
    public void copyImageTo(final File copy) throws IOException
    {
        check(run("cp", "--sparse=always", image.getPath(), copy.getPath()));
    }

    /**
     * Write everything the file system holds dirty out to the image ({@code sync -f}).
     */
    public void sync() throws IOException
    {
        check(run("sync", "-f", mountPoint.getPath()));
    }

    /**
     * @return the directory the file system is mounted on.
     */
    public File mountPoint()
    {
        return mountPoint;
    }

    /**
     * Unmount (lazily, should a process still hold a file), detach the loop device and delete the image; what
     * fails is printed, the rest still done.
     */
    public void close()
    {
        final List<String> problems = new ArrayList<>();
        try
        {
            if (mounted)
            {
                mounted = false;
                final Result umount = run("umount", mountPoint.getPath());
                if (0 != umount.exitCode)
                {
                    problems.add("umount: " + umount.output);
                    run("umount", "-l", mountPoint.getPath());
                }
            }
            if (null != device)
            {
                final Result detach = run("losetup", "-d", device);
                if (0 != detach.exitCode)
                {
                    problems.add("losetup -d " + device + ": " + detach.output);
                }
                device = null;
            }
        }
        catch (final IOException ex)
        {
            problems.add(ex.toString());
        }
        if (image.exists() && !image.delete())
        {
            problems.add("cannot delete " + image);
        }
        if (mountPoint.isDirectory() && !mountPoint.delete())
        {
            problems.add("cannot remove " + mountPoint);
        }
        if (!problems.isEmpty())
        {
            System.out.println("LoopFileSystem close of " + image + ": " + problems);
        }
    }

    private static Result check(final Result result)
    {
        if (0 != result.exitCode)
        {
            throw new IllegalStateException(result.command + " exited " + result.exitCode + ": " + result.output);
        }
        return result;
    }

    private static Result run(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took over " + COMMAND_TIMEOUT_S + " s");
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), ex);
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(String.join(" ", command), process.exitValue(), output);
    }

    private static final class Result
    {
        final String command;
        final int exitCode;
        final String output;

        Result(final String command, final int exitCode, final String output)
        {
            this.command = command;
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
