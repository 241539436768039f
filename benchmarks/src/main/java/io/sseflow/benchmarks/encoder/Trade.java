package io.sseflow.benchmarks.encoder;

import com.dslplatform.json.CompiledJson;

/**
 * Event (b): a small object of six fields (three strings, a long, a double, a boolean). dsl-json's annotation
 * processor generates its converter at compile time; Jackson (and so Spring) reads the same public fields.
 */
@CompiledJson
public final class Trade
{
    /** Instrument. */
    public String symbol;
    /** Market. */
    public String venue;
    /** Who traded. */
    public String trader;
    /** Sequence number of the trade. */
    public long sequence;
    /** Price per share. */
    public double price;
    /** Is the order still open? */
    public boolean open;

    /**
     * For dsl-json and Jackson.
     */
    public Trade()
    {
    }

    /**
     * A trade.
     *
     * @param symbol   instrument.
     * @param venue    market.
     * @param trader   who traded.
     * @param sequence number of the trade.
     * @param price    per share.
     * @param open     is the order still open?
     */
    public Trade(
        final String symbol,
        final String venue,
        final String trader,
        final long sequence,
        final double price,
        final boolean open)
    {
        this.symbol = symbol;
        this.venue = venue;
        this.trader = trader;
        this.sequence = sequence;
        this.price = price;
        this.open = open;
    }
}
