package io.sseflow.server.transport;

import org.agrona.concurrent.NanoClock;

import java.nio.channels.SelectionKey;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Array-backed stand-in for a selector's selected-key {@code HashSet}: {@code add} appends, {@code contains}
 * is always false (the selector adds a key at most once per select, and the set is reset after each), and
 * keys are handed out by index. Nothing is allocated once the array has grown to the largest batch.
 */
final class SelectedKeySet extends AbstractSet<SelectionKey>
{
    private SelectionKey[] keys;
    private int size;
    private int resumeAt;

    SelectedKeySet(final int initialCapacity)
    {
        keys = new SelectionKey[initialCapacity];
    }

    /**
     * {@inheritDoc}
     */
    public boolean add(final SelectionKey key)
    {
        if (null == key)
        {
            return false;
        }
        if (size == keys.length)
        {
            keys = Arrays.copyOf(keys, size << 1);
        }
        keys[size++] = key;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean remove(final Object o)
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    public boolean contains(final Object o)
    {
        return false;
    }

    /**
     * {@inheritDoc}
     */
    public int size()
    {
        return size;
    }

    /**
     * {@inheritDoc}
     */
    public Iterator<SelectionKey> iterator()
    {
        return Arrays.asList(keys).subList(0, size).iterator();
    }

    /**
     * {@inheritDoc}
     */
    public void clear()
    {
        reset();
    }

    /**
     * Hand the keys to the handler until {@code budgetNs} have passed since {@code startNs} (at least one key is
     * handed); the keys not handed are dropped with the rest and, being still ready, are selected again. When a
     * batch was cut short, the next starts at the position where this one stopped, so that keys late in the
     * kernel's order are not starved by those before them.
     *
     * @param handler  called for each key handed.
     * @param clock    read after each key.
     * @param startNs  the clock's time the budget counts from.
     * @param budgetNs how long keys may be handed; {@link Long#MAX_VALUE} for all of them.
     * @return the handler's summed work count.
     */
    int forEach(final SelectionHandler handler, final NanoClock clock, final long startNs, final long budgetNs)
    {
        final SelectionKey[] keys = this.keys;
        final int size = this.size;
        final int start = resumeAt < size ? resumeAt : 0;
        resumeAt = 0;
        int workCount = 0;
        try
        {
            for (int handed = 0, i = start; handed < size; handed++)
            {
                workCount += handler.onSelected(keys[i]);
                i = i + 1 == size ? 0 : i + 1;
                if (handed + 1 < size && clock.nanoTime() - startNs >= budgetNs)
                {
                    resumeAt = i;
                    break;
                }
            }
        }
        finally
        {
            reset();
        }
        return workCount;
    }

    void reset()
    {
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }
}
