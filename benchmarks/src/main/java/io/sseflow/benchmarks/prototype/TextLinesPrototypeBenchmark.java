package io.sseflow.benchmarks.prototype;

import io.sseflow.benchmarks.encoder.EncoderEvents;

import io.sseflow.encoder.EventFrameEncoder;
import io.sseflow.encoder.SseOptions;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Experiment for the encoder's owner, not a contender: how fast could text data lines be written? Compares
 * {@link EventFrameEncoder} (two passes of {@code CharSequence.charAt} + bounds-checked {@code putByte} per char)
 * with a prototype that copies the {@code String}'s chars out in bulk ({@code String.getChars}, an intrinsic),
 * frames them into a reused byte array in one pass (line splitting and UTF-8 as the encoder does), and writes the
 * frame with one {@code putBytes} ({@code prototype}, now in the encoder as {@code DataLinesStaging}), and with
 * an all-ASCII fast path on JDK intrinsics ({@code prototypeAscii}). All write byte-identical frames (checked in
 * set-up, also on CR, CRLF, trailing breaks, empty text, non-ASCII, surrogate pairs and a lone surrogate).
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TextLinesPrototypeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g" })
public class TextLinesPrototypeBenchmark
{
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);

    /** Which text: event (a) or (c). */
    @Param({ "text100", "text4k" })
    public String text;

    private String data;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final EventFrameEncoder encoder = new EventFrameEncoder();
    private char[] chars = new char[256];
    private byte[] frame = new byte[1024];
    private byte[] ascii = new byte[256];
    private CharBuffer charView = CharBuffer.wrap(chars);
    private ByteBuffer asciiView = ByteBuffer.wrap(ascii);
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(new byte[]{ (byte)0xEF, (byte)0xBF, (byte)0xBD });

    /**
     * Pick the text and check both ways write the same bytes.
     */
    @Setup
    public void setUp()
    {
        data = "text100".equals(text) ? EncoderEvents.TEXT_100 : EncoderEvents.TEXT_4K;
        for (final String sample : new String[]{ data, "a\r\nb\rc\n", "", "\n", "caf\u00e9 \ud83d\ude00 \ud800 x\r" })
        {
            final int expectedSampleLength =
                encoder.encode(buffer, 0, buffer.capacity(), SseOptions.NONE, SseOptions.NONE, sample);
            final byte[] expectedSample = new byte[expectedSampleLength];
            buffer.getBytes(0, expectedSample);
            for (int variant = 0; variant < 2; variant++)
            {
                buffer.setMemory(0, expectedSampleLength, (byte)0);
                final int length = 0 == variant ?
                    putTextFrame(buffer, 0, buffer.capacity(), sample) :
                    putTextFrameAscii(buffer, 0, buffer.capacity(), sample);
                final byte[] actual = new byte[length];
                buffer.getBytes(0, actual);
                if (!Arrays.equals(expectedSample, actual))
                {
                    throw new IllegalStateException("prototype " + variant + " differs from EventFrameEncoder for " +
                        sample.replace("\n", "\\n").replace("\r", "\\r"));
                }
            }
        }
    }

    /**
     * All-ASCII fast path: one bulk UTF-8 encode of the whole text (the JDK's ASCII intrinsic on heap arrays;
     * as many bytes as chars proves the text is ASCII), line breaks found with {@code String.indexOf} (an
     * intrinsic), runs copied with {@code System.arraycopy}; other text falls back to {@link #prototype()}'s loop.
     *
     * @return bytes written.
     */
    @Benchmark
    public int prototypeAscii()
    {
        return putTextFrameAscii(buffer, 0, buffer.capacity(), data);
    }

    private int putTextFrameAscii(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final String text)
    {
        final int length = text.length();
        if (chars.length < length)
        {
            chars = new char[length];
        }
        if (charView.array() != chars)
        {
            charView = CharBuffer.wrap(chars);
        }
        if (ascii.length < length)
        {
            ascii = new byte[length];
            asciiView = ByteBuffer.wrap(ascii);
        }
        text.getChars(0, length, chars, 0);
        final CharBuffer in = charView;
        final ByteBuffer out = asciiView;
        in.limit(length).position(0);
        out.clear();
        utf8.reset();
        utf8.encode(in, out, true);
        if (in.hasRemaining() || out.position() != length)
        {
            return putTextFrame(buffer, offset, maxLength, text);
        }

        final int worstCase = length + (DATA_PREFIX.length + 1) * (length + 1) + 1;
        byte[] frame = this.frame;
        if (frame.length < worstCase)
        {
            frame = this.frame = new byte[worstCase];
        }
        final byte[] ascii = this.ascii;
        int nextCr = text.indexOf('\r');
        int j = 0;
        int start = 0;
        while (true)
        {
            int end = text.indexOf('\n', start);
            if (end < 0)
            {
                end = length;
            }
            if (nextCr >= 0 && nextCr < start)
            {
                nextCr = text.indexOf('\r', start);
            }
            if (nextCr >= 0 && nextCr < end)
            {
                end = nextCr;
            }
            System.arraycopy(DATA_PREFIX, 0, frame, j, DATA_PREFIX.length);
            j += DATA_PREFIX.length;
            System.arraycopy(ascii, start, frame, j, end - start);
            j += end - start;
            frame[j++] = '\n';
            if (end == length)
            {
                break;
            }
            start = end + (ascii[end] == '\r' && end + 1 < length && ascii[end + 1] == '\n' ? 2 : 1);
        }
        frame[j++] = '\n';

        if (j > maxLength || (long)offset + j > buffer.capacity())
        {
            return EventFrameEncoder.INSUFFICIENT_CAPACITY;
        }
        buffer.putBytes(offset, frame, 0, j);
        return j;
    }

    /**
     * The encoder as it is.
     *
     * @return bytes written.
     */
    @Benchmark
    public int encoder()
    {
        return encoder.encode(buffer, 0, buffer.capacity(), SseOptions.NONE, SseOptions.NONE, data);
    }

    /**
     * Bulk char copy, one framing pass into a reused array, one {@code putBytes}.
     *
     * @return bytes written.
     */
    @Benchmark
    public int prototype()
    {
        return putTextFrame(buffer, 0, buffer.capacity(), data);
    }

    private int putTextFrame(final MutableDirectBuffer buffer, final int offset, final int maxLength, final String text)
    {
        final int length = text.length();
        char[] chars = this.chars;
        if (chars.length < length)
        {
            chars = this.chars = new char[length];
        }
        text.getChars(0, length, chars, 0);

        final int worstCase = 3 * length + (DATA_PREFIX.length + 1) * (length + 1) + 1;
        byte[] frame = this.frame;
        if (frame.length < worstCase)
        {
            frame = this.frame = new byte[worstCase];
        }

        System.arraycopy(DATA_PREFIX, 0, frame, 0, DATA_PREFIX.length);
        int j = DATA_PREFIX.length;
        for (int i = 0; i < length; i++)
        {
            final char c = chars[i];
            if (c >= 0x80)
            {
                j = putNonAscii(frame, j, chars, i, length, c);
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1]))
                {
                    i++;
                }
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < length && chars[i + 1] == '\n')
                {
                    i++;
                }
                frame[j++] = '\n';
                System.arraycopy(DATA_PREFIX, 0, frame, j, DATA_PREFIX.length);
                j += DATA_PREFIX.length;
            }
            else
            {
                frame[j++] = (byte)c;
            }
        }
        frame[j++] = '\n';
        frame[j++] = '\n';

        if (j > maxLength || (long)offset + j > buffer.capacity())
        {
            return EventFrameEncoder.INSUFFICIENT_CAPACITY;
        }
        buffer.putBytes(offset, frame, 0, j);
        return j;
    }

    private static int putNonAscii(
        final byte[] frame, final int j, final char[] chars, final int i, final int length, final char c)
    {
        if (c < 0x800)
        {
            frame[j] = (byte)(0xC0 | (c >> 6));
            frame[j + 1] = (byte)(0x80 | (c & 0x3F));
            return j + 2;
        }
        if (Character.isSurrogate(c))
        {
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1]))
            {
                final int codePoint = Character.toCodePoint(c, chars[i + 1]);
                frame[j] = (byte)(0xF0 | (codePoint >> 18));
                frame[j + 1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                frame[j + 2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                frame[j + 3] = (byte)(0x80 | (codePoint & 0x3F));
                return j + 4;
            }
            return putThree(frame, j, '\uFFFD');
        }
        return putThree(frame, j, c);
    }

    private static int putThree(final byte[] frame, final int j, final char c)
    {
        frame[j] = (byte)(0xE0 | (c >> 12));
        frame[j + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
        frame[j + 2] = (byte)(0x80 | (c & 0x3F));
        return j + 3;
    }
}
