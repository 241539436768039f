package io.sseflow.server.transport;

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

    int forEach(final SelectionHandler handler)
    {
        final SelectionKey[] keys = this.keys;
        final int size = this.size;
        int workCount = 0;
        try
        {
            for (int i = 0; i < size; i++)
            {
                workCount += handler.onSelected(keys[i]);
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
