package io.sseflow.server.cluster;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The files and ports of a cluster whose members run in this process: a data dir and loopback ports per member (free
 * when made), an Aeron dir per start, and the errors every member reports. {@link #close()} deletes the dirs; the
 * test closes its members first.
 */
final class ClusterMembers implements AutoCloseable
{
    private final String name;
    private final File[] dataDirs;
    private final List<String> members = new ArrayList<>();
    private final List<String> aeronDirs = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    /**
     * @param name  names the dirs.
     * @param count members.
     */
    ClusterMembers(final String name, final int count)
    {
        this.name = name;
        dataDirs = new File[count];
        final int base = ClusterTestSupport.freeBasePort(count * ClusterSettings.PORTS_PER_MEMBER);
        for (int i = 0; i < count; i++)
        {
            dataDirs[i] = ClusterTestSupport.tempDir("sseflow-" + name + "-" + i + "-");
            members.add("127.0.0.1:" + (base + i * ClusterSettings.PORTS_PER_MEMBER));
        }
    }

    int count()
    {
        return dataDirs.length;
    }

    File dataDir(final int member)
    {
        return dataDirs[member];
    }

    /**
     * Settings for a start of this member: its data dir and a fresh Aeron dir, the member list; the test adds the
     * rest.
     */
    ClusterSettings settings(final int member)
    {
        final String aeronDir = ClusterTestSupport.aeronDir(name + member);
        aeronDirs.add(aeronDir);
        return new ClusterSettings(dataDirs[member], members, member).aeronDirectoryName(aeronDir);
    }

    /**
     * What the members reported to their error handlers ({@code errors::add}).
     */
    List<Throwable> errors()
    {
        return errors;
    }

    public void close()
    {
        for (final File dataDir : dataDirs)
        {
            ClusterTestSupport.delete(dataDir);
        }
        aeronDirs.forEach(dir -> ClusterTestSupport.delete(new File(dir)));
    }
}
