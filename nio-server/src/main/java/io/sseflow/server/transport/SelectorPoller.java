package io.sseflow.server.transport;

import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * A non-blocking {@link Selector} poll that allocates nothing: the selector's internal selected-key sets are
 * swapped for a {@link SelectedKeySet} by reflection, which needs {@code --add-opens java.base/sun.nio.ch}
 * (given in the server jar's manifest). When that is refused, it falls back to
 * {@link Selector#selectNow(Consumer)}, which does not touch the selected-key set and does not allocate either.
 */
public final class SelectorPoller implements AutoCloseable
{
    private static final Field SELECTED_KEYS_FIELD;
    private static final Field PUBLIC_SELECTED_KEYS_FIELD;

    static
    {
        Field selectedKeysField = null;
        Field publicSelectedKeysField = null;
        try
        {
            final Class<?> selectorImplClass = Class.forName("sun.nio.ch.SelectorImpl", false, ClassLoader.getSystemClassLoader());
            selectedKeysField = selectorImplClass.getDeclaredField("selectedKeys");
            publicSelectedKeysField = selectorImplClass.getDeclaredField("publicSelectedKeys");
            selectedKeysField.setAccessible(true);
            publicSelectedKeysField.setAccessible(true);
        }
        catch (final Exception | LinkageError ex)
        {
            selectedKeysField = null;
            publicSelectedKeysField = null;
        }
        SELECTED_KEYS_FIELD = selectedKeysField;
        PUBLIC_SELECTED_KEYS_FIELD = publicSelectedKeysField;
    }

    private final Selector selector;
    private final SelectedKeySet selectedKeySet;
    private final SelectionHandler handler;
    private final Consumer<SelectionKey> fallbackAction;
    private final NanoClock clock;
    private int fallbackWorkCount;
    private long fallbackStartNs;
    private long fallbackBudgetNs;
    private boolean fallbackCut;

    /**
     * Open a selector, with the array-backed key set when the JVM allows it.
     *
     * @param handler called for each ready key.
     */
    public SelectorPoller(final SelectionHandler handler)
    {
        this(handler, true);
    }

    /**
     * Open a selector.
     *
     * @param handler       called for each ready key.
     * @param tryReflection false to use the fallback path even when reflection would work.
     */
    public SelectorPoller(final SelectionHandler handler, final boolean tryReflection)
    {
        this(handler, tryReflection, System::nanoTime);
    }

    /**
     * Open a selector that reads a given clock to keep {@link #selectNow(long)} within its budget.
     *
     * @param handler       called for each ready key.
     * @param tryReflection false to use the fallback path even when reflection would work.
     * @param clock         the clock a budget is measured on.
     */
    public SelectorPoller(final SelectionHandler handler, final boolean tryReflection, final NanoClock clock)
    {
        this.handler = handler;
        this.clock = clock;
        this.fallbackAction = this::onSelectedInFallback;
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        selectedKeySet = tryReflection ? installKeySet(selector) : null;
    }

    /**
     * The selector, to register channels with.
     *
     * @return the selector.
     */
    public Selector selector()
    {
        return selector;
    }

    /**
     * Is the array-backed key set in use (rather than the fallback)?
     *
     * @return true when reflection succeeded.
     */
    public boolean usesArrayBackedKeySet()
    {
        return null != selectedKeySet;
    }

    /**
     * Select without blocking and hand each ready key to the handler.
     *
     * @return the handler's summed work count.
     * @throws IOException from the selector.
     */
    public int selectNow() throws IOException
    {
        return selectNow(Long.MAX_VALUE);
    }

    /**
     * Select without blocking and hand ready keys to the handler until {@code budgetNs} have passed (at least one
     * key is handed): a burst of ready connections (a thousand requests arriving at once) is then served over
     * several calls instead of holding the caller for all of them. Keys not handed are still ready and are selected
     * again by the next call, which starts where this one stopped.
     *
     * @param budgetNs how long keys may be handed, measured on this poller's clock.
     * @return the handler's summed work count.
     * @throws IOException from the selector.
     */
    public int selectNow(final long budgetNs) throws IOException
    {
        final SelectedKeySet selectedKeySet = this.selectedKeySet;
        if (null != selectedKeySet)
        {
            selector.selectNow();
            return 0 == selectedKeySet.size() ? 0 : selectedKeySet.forEach(handler, clock, clock.nanoTime(), budgetNs);
        }

        fallbackWorkCount = 0;
        fallbackCut = false;
        fallbackBudgetNs = budgetNs;
        fallbackStartNs = clock.nanoTime();
        selector.selectNow(fallbackAction);
        return fallbackWorkCount;
    }

    private void onSelectedInFallback(final SelectionKey key)
    {
        if (!fallbackCut)
        {
            fallbackWorkCount += handler.onSelected(key);
            fallbackCut = clock.nanoTime() - fallbackStartNs >= fallbackBudgetNs;
        }
    }

    /**
     * Close the selector.
     */
    public void close()
    {
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static SelectedKeySet installKeySet(final Selector selector)
    {
        if (null == SELECTED_KEYS_FIELD || !SELECTED_KEYS_FIELD.getDeclaringClass().isInstance(selector))
        {
            return null;
        }
        try
        {
            final SelectedKeySet keySet = new SelectedKeySet(1024);
            SELECTED_KEYS_FIELD.set(selector, keySet);
            PUBLIC_SELECTED_KEYS_FIELD.set(selector, keySet);
            return keySet;
        }
        catch (final Exception ex)
        {
            return null;
        }
    }
}
