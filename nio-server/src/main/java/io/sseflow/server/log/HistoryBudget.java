package io.sseflow.server.log;

import java.util.Arrays;

/**
 * One bound on the memory of a kind of logs together (every topic's history; or every shared stream's log, apart):
 * the direct buffers of all its {@link TopicLog}s, frames and index alike, counted by their capacity. A log only ever
 * shrinks logs of its own budget, so logs of two budgets never evict each other. A log that must grow past the budget
 * first takes the room from the logs holding the most: each such victim gives up the older half of its buffer (its oldest events are evicted,
 * the buffer is copied into one half the size and the old one freed at once), and a victim at the smallest size
 * is emptied and freed. A log only takes from logs that would still hold more than it will, so logs under
 * pressure settle within a factor of two of each other instead of trading memory back and forth; the log that
 * holds the most evicts its own oldest events instead of growing.
 * <p>
 * A log grows only into bytes reserved beforehand, so growing never passes the budget; a victim is copied into its
 * smaller buffer before the old one is freed, so for that moment up to half of one log's buffer more is in use.
 * <p>
 * The logs are kept in a max-heap by the bytes they hold, so the largest is found at once; the heap changes only
 * when a log's buffers are resized, not on every append.
 * <p>
 * Not thread-safe: owned by the server agent, like the logs.
 */
public final class HistoryBudget
{
    private final long limit;
    private long used;
    private TopicLog[] heap = new TopicLog[16];
    private int size;

    /**
     * A budget of at most {@code limit} bytes.
     *
     * @param limit bytes, at least 1; {@link Long#MAX_VALUE} for no bound.
     */
    public HistoryBudget(final long limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("history budget must be at least 1 byte: " + limit);
        }
        this.limit = limit;
    }

    /**
     * A budget with no bound.
     *
     * @return a new unbounded budget.
     */
    public static HistoryBudget unbounded()
    {
        return new HistoryBudget(Long.MAX_VALUE);
    }

    /**
     * The bound.
     *
     * @return bytes.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * Bytes held by all logs now.
     *
     * @return bytes.
     */
    public long used()
    {
        return used;
    }

    /**
     * Logs holding any memory.
     *
     * @return logs.
     */
    public int logCount()
    {
        return size;
    }

    /**
     * Take {@code bytes} for a log about to allocate them, shrinking the logs that hold the most when the budget
     * is short.
     *
     * @param requester     the log that will allocate.
     * @param bytes         it will allocate (before freeing what they replace).
     * @param heldAfter     bytes the requester will hold once done.
     * @param mustAllocate  true when the requester has nothing left to evict: then any other log is shrunk,
     *                      largest first, and the bytes are taken even if nothing else is left to shrink.
     * @return true when taken; false when the requester should evict its own oldest events instead.
     */
    boolean reserve(final TopicLog requester, final long bytes, final long heldAfter, final boolean mustAllocate)
    {
        while (used + bytes > limit)
        {
            final TopicLog victim = largestOther(requester);
            if (null == victim)
            {
                if (mustAllocate)
                {
                    break;
                }
                return false;
            }
            if (!mustAllocate && victim.heldBytes() <= heldAfter)
            {
                return false;
            }
            victim.shrinkForBudget();
        }
        used += bytes;
        return true;
    }

    /**
     * A log allocated bytes it had to have (a smaller copy while shrinking).
     *
     * @param bytes allocated.
     */
    void take(final long bytes)
    {
        used += bytes;
    }

    /**
     * A log freed bytes.
     *
     * @param bytes freed.
     */
    void release(final long bytes)
    {
        used -= bytes;
    }

    /**
     * A log's {@link TopicLog#heldBytes()} changed: move it in the heap (or out, when it holds nothing).
     *
     * @param log that changed.
     */
    void changed(final TopicLog log)
    {
        final int index = log.budgetIndex;
        if (log.heldBytes() == 0)
        {
            if (index >= 0)
            {
                removeAt(index);
            }
            return;
        }
        if (index < 0)
        {
            if (size == heap.length)
            {
                heap = Arrays.copyOf(heap, size << 1);
            }
            heap[size] = log;
            log.budgetIndex = size;
            siftUp(size++);
            return;
        }
        siftDown(siftUp(index));
    }

    private TopicLog largestOther(final TopicLog requester)
    {
        if (size == 0)
        {
            return null;
        }
        if (heap[0] != requester)
        {
            return heap[0];
        }
        if (size == 1)
        {
            return null;
        }
        if (size == 2)
        {
            return heap[1];
        }
        return heap[1].heldBytes() >= heap[2].heldBytes() ? heap[1] : heap[2];
    }

    private void removeAt(final int index)
    {
        final TopicLog removed = heap[index];
        removed.budgetIndex = -1;
        final int last = --size;
        if (index != last)
        {
            final TopicLog moved = heap[last];
            heap[index] = moved;
            moved.budgetIndex = index;
            heap[last] = null;
            siftDown(siftUp(index));
        }
        else
        {
            heap[last] = null;
        }
    }

    private int siftUp(final int from)
    {
        final TopicLog[] heap = this.heap;
        final TopicLog log = heap[from];
        final long held = log.heldBytes();
        int index = from;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            final TopicLog above = heap[parent];
            if (above.heldBytes() >= held)
            {
                break;
            }
            heap[index] = above;
            above.budgetIndex = index;
            index = parent;
        }
        heap[index] = log;
        log.budgetIndex = index;
        return index;
    }

    private void siftDown(final int from)
    {
        final TopicLog[] heap = this.heap;
        final int size = this.size;
        final TopicLog log = heap[from];
        final long held = log.heldBytes();
        int index = from;
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && heap[child + 1].heldBytes() > heap[child].heldBytes())
            {
                child++;
            }
            final TopicLog below = heap[child];
            if (below.heldBytes() <= held)
            {
                break;
            }
            heap[index] = below;
            below.budgetIndex = index;
            index = child;
        }
        heap[index] = log;
        log.budgetIndex = index;
    }
}
