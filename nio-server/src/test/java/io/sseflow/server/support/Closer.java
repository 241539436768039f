package io.sseflow.server.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Resources a test started (child processes, relays, sockets), closed last first when the test ends.
 */
public final class Closer implements AutoCloseable
{
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * Close this resource when the closer is closed.
     *
     * @param resource to close later.
     * @param <T>      its type.
     * @return the resource.
     */
    public <T extends AutoCloseable> T track(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    /**
     * Close every tracked resource, the last tracked first, and forget them.
     *
     * @throws Exception from the first close that fails, after trying them all.
     */
    @Override
    public void close() throws Exception
    {
        Exception failure = null;
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ex)
            {
                if (null == failure)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        resources.clear();
        if (null != failure)
        {
            throw failure;
        }
    }
}
