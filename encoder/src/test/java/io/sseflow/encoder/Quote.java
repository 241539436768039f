package io.sseflow.encoder;

import com.dslplatform.json.CompiledJson;

/**
 * A mutable {@code @CompiledJson} class for tests: dsl-json's processor generates its converter at compile time.
 */
@CompiledJson
public final class Quote
{
    public String symbol;
    public double price;
    public long sequence;
    public boolean open;

    public Quote()
    {
    }

    Quote(final String symbol, final double price, final long sequence, final boolean open)
    {
        this.symbol = symbol;
        this.price = price;
        this.sequence = sequence;
        this.open = open;
    }
}
