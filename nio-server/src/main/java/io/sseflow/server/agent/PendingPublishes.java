package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.http.Persistence;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The answers a connection owes its pipelined publishes, in request order: up to {@link #CAPACITY} publishes may be
 * in flight (offered to the sequencer, not yet answered) at once. Each request taken while earlier ones are in
 * flight gets the next slot: a publish offered waits for its decision ({@link #published} or {@link #refused},
 * matched by the number in its correlation id), a request refused on the agent ({@link #refuse}: a bad id, a body
 * too large) is decided at once. Answers are {@link #render rendered} only from the oldest slot on, while decided, so
 * a response is written only once it and every one before it are decided; a refusal keeps its place and, as every
 * refusal does, ends the connection: nothing after it is answered.
 * <p>
 * A decision keeps what its answer needs: the id text (inline up to {@link #INLINE_ID_LENGTH} bytes per slot; a
 * longer one in a buffer of the slot's own, grown once and kept), or the refusal with its reason. Instances are
 * pooled by the {@link ConnectionTable} while no publish is in flight.
 * <p>
 * Not thread-safe: owned by the server agent; allocation-free except for a long id's buffer the first time.
 */
final class PendingPublishes
{
    /**
     * Publishes in flight on one connection at most; the connection reads nothing more until one is answered.
     */
    static final int CAPACITY = 64;

    /**
     * Bits of a correlation id that number the publish on its connection; the connection's id is above them.
     */
    static final int NUMBER_BITS = 20;

    /**
     * Bytes of id text kept in a slot without a buffer of its own: any numeric id and a Mercure {@code urn:uuid:}.
     */
    static final int INLINE_ID_LENGTH = 64;

    private static final long NUMBER_MASK = (1L << NUMBER_BITS) - 1;
    private static final int SLOT_MASK = CAPACITY - 1;

    /**
     * Where a slot's answer is.
     */
    enum Answer
    {
        /**
         * Offered to the sequencer; its decision is awaited.
         */
        AWAITING,

        /**
         * Sequenced (or a duplicate of an event still retained): answered {@code 200} with its id.
         */
        PUBLISHED,

        /**
         * Refused, on the agent or by the sequencer: answered with the refusal, then the connection ends.
         */
        REFUSED
    }

    private final long[] numbers = new long[CAPACITY];
    private final Answer[] answers = new Answer[CAPACITY];
    private final Persistence[] persistence = new Persistence[CAPACITY];
    private final boolean[] lineEnds = new boolean[CAPACITY];
    private final int[] idLengths = new int[CAPACITY];
    private final UnsafeBuffer inlineIds = new UnsafeBuffer(new byte[CAPACITY * INLINE_ID_LENGTH]);
    private final UnsafeBuffer[] longIds = new UnsafeBuffer[CAPACITY];
    private final Refusal[] refusals = new Refusal[CAPACITY];
    private final String[] reasons = new String[CAPACITY];
    private final byte[][] extraHeaders = new byte[CAPACITY][];
    private final boolean[] withBodies = new boolean[CAPACITY];
    private long head;
    private long tail;
    private boolean ending;
    private boolean inputEnded;
    private Persistence lastRendered = Persistence.KEEP_ALIVE;

    /**
     * The correlation id of a connection's next publish: its id, then the number of the publish on it.
     *
     * @param connectionId of the publishing connection.
     * @param number       of the publish on it ({@link #nextNumber}).
     * @return never 0 for a connection id of 1 or more.
     */
    static long correlationId(final long connectionId, final long number)
    {
        return (connectionId << NUMBER_BITS) | (number & NUMBER_MASK);
    }

    /**
     * The connection a correlation id names.
     *
     * @param correlationId from {@link #correlationId}.
     * @return the connection's id.
     */
    static long connectionId(final long correlationId)
    {
        return correlationId >>> NUMBER_BITS;
    }

    /**
     * Take this queue for a connection whose next publish has this number (numbers go on across the queues a
     * connection takes, so a decision meant for an earlier one never matches).
     *
     * @param firstNumber of the connection's next publish.
     * @return this.
     */
    PendingPublishes reset(final long firstNumber)
    {
        for (long n = head; n < tail; n++)
        {
            clear((int)(n & SLOT_MASK));
        }
        head = firstNumber;
        tail = firstNumber;
        ending = false;
        inputEnded = false;
        lastRendered = Persistence.KEEP_ALIVE;
        return this;
    }

    long nextNumber()
    {
        return tail;
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    boolean isFull()
    {
        return tail - head == CAPACITY;
    }

    int size()
    {
        return (int)(tail - head);
    }

    /**
     * Is nothing after the requests queued to be read: one of them ends the connection ({@code Connection: close},
     * HTTP/1.0, a refusal), or the client closed its side?
     *
     * @return true when no further request is to be taken.
     */
    boolean isEnding()
    {
        return ending || inputEnded;
    }

    /**
     * The client closed its side (EOF) with publishes in flight: they are answered, then the connection closes.
     */
    void endInput()
    {
        inputEnded = true;
    }

    /**
     * A publish was offered to the sequencer with the correlation id of {@link #nextNumber}.
     *
     * @param persistence what its answer says about the connection.
     */
    void offered(final Persistence persistence)
    {
        final int slot = claimSlot(persistence);
        answers[slot] = Answer.AWAITING;
        tail++;
    }

    /**
     * A request refused on the agent while publishes before it are in flight: its answer keeps its place, and nothing
     * after it is taken.
     *
     * @param refusal      why.
     * @param reason       ASCII text sent as the body.
     * @param extraHeaders complete header lines (each ending CRLF), or null.
     * @param withBody     false for the answer to {@code HEAD}.
     */
    void refuse(final Refusal refusal, final String reason, final byte[] extraHeaders, final boolean withBody)
    {
        final int slot = claimSlot(Persistence.CLOSE);
        decideRefused(slot, refusal, reason, extraHeaders, withBody);
        tail++;
    }

    /**
     * The sequencer decided a publish: sequenced (or a retained duplicate) with this id.
     *
     * @param correlationId of its record.
     * @param id            holding the id text.
     * @param idOffset      of the id text.
     * @param idLength      of the id text.
     * @param lineEnd       true for a native publish (the id and a line feed), false for a Mercure one (the id).
     * @return false when no publish in flight has this number (already answered, or never offered here).
     */
    boolean published(
        final long correlationId, final DirectBuffer id, final int idOffset, final int idLength, final boolean lineEnd)
    {
        final int slot = awaitingSlot(correlationId);
        if (slot < 0)
        {
            return false;
        }
        final MutableDirectBuffer target;
        final int targetOffset;
        if (idLength <= INLINE_ID_LENGTH)
        {
            target = inlineIds;
            targetOffset = slot * INLINE_ID_LENGTH;
        }
        else
        {
            UnsafeBuffer longId = longIds[slot];
            if (null == longId || longId.capacity() < idLength)
            {
                longIds[slot] = longId = new UnsafeBuffer(new byte[idLength]);
            }
            target = longId;
            targetOffset = 0;
        }
        target.putBytes(targetOffset, id, idOffset, idLength);
        idLengths[slot] = idLength;
        lineEnds[slot] = lineEnd;
        answers[slot] = Answer.PUBLISHED;
        return true;
    }

    /**
     * The sequencer refused a publish it took (no leader, the topic limit, shutting down).
     *
     * @param correlationId of its record.
     * @param refusal       the answer.
     * @return false when no publish in flight has this number.
     */
    boolean refused(final long correlationId, final Refusal refusal)
    {
        final int slot = awaitingSlot(correlationId);
        if (slot < 0)
        {
            return false;
        }
        decideRefused(slot, refusal, refusal.message(), ResponseHeaders.of(refusal), true);
        return true;
    }

    /**
     * Is the oldest answer decided, so that something can be written?
     *
     * @return true when {@link #render} writes at least one answer.
     */
    boolean isHeadDecided()
    {
        return head != tail && answers[(int)(head & SLOT_MASK)] != Answer.AWAITING;
    }

    /**
     * Render the decided answers from the oldest on, in order, until one is awaited, one ends the connection, or
     * {@code limit} is passed; each rendered one leaves the queue.
     *
     * @param responses the response builder.
     * @param buffer    to render into.
     * @param offset    at which to start.
     * @param limit     after which no answer is started (leave room for one answer after it).
     * @return bytes rendered.
     */
    int render(final HttpResponses responses, final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        int position = offset;
        while (head != tail && position <= limit && lastRendered != Persistence.CLOSE)
        {
            final int slot = (int)(head & SLOT_MASK);
            final Answer answer = answers[slot];
            if (answer == Answer.AWAITING)
            {
                break;
            }
            final Persistence persistence = this.persistence[slot];
            if (answer == Answer.PUBLISHED)
            {
                final int idLength = idLengths[slot];
                final DirectBuffer id = idLength <= INLINE_ID_LENGTH ? inlineIds : longIds[slot];
                final int idOffset = idLength <= INLINE_ID_LENGTH ? slot * INLINE_ID_LENGTH : 0;
                position += lineEnds[slot] ?
                    responses.putPublished(buffer, position, id, idOffset, idLength, persistence) :
                    responses.putResponse(buffer, position, 200, ResponseHeaders.TEXT_PLAIN, id, idOffset, idLength,
                        persistence);
            }
            else
            {
                position += responses.putError(
                    buffer, position, refusals[slot].status(), reasons[slot], extraHeaders[slot], withBodies[slot]);
            }
            lastRendered = persistence;
            clear(slot);
            head++;
        }
        return position - offset;
    }

    /**
     * Does the connection stay open after what was rendered: the last answer rendered keeps it alive, and the client
     * has not closed its side with nothing left in flight?
     *
     * @return false when the connection ends once the rendered answers are written.
     */
    boolean keepsAlive()
    {
        return lastRendered != Persistence.CLOSE && !(inputEnded && head == tail);
    }

    private int claimSlot(final Persistence persistence)
    {
        if (isFull())
        {
            throw new IllegalStateException("more than " + CAPACITY + " publishes in flight on one connection");
        }
        final int slot = (int)(tail & SLOT_MASK);
        numbers[slot] = tail;
        this.persistence[slot] = persistence;
        ending |= persistence == Persistence.CLOSE;
        return slot;
    }

    private int awaitingSlot(final long correlationId)
    {
        final long low = correlationId & NUMBER_MASK;
        final int slot = (int)(low & SLOT_MASK);
        final boolean inFlight = null != answers[slot] && (numbers[slot] & NUMBER_MASK) == low;
        return inFlight && answers[slot] == Answer.AWAITING ? slot : -1;
    }

    private void decideRefused(
        final int slot, final Refusal refusal, final String reason, final byte[] extraHeaders, final boolean withBody)
    {
        answers[slot] = Answer.REFUSED;
        refusals[slot] = refusal;
        reasons[slot] = reason;
        this.extraHeaders[slot] = extraHeaders;
        withBodies[slot] = withBody;
        persistence[slot] = Persistence.CLOSE;
        ending = true;
    }

    private void clear(final int slot)
    {
        answers[slot] = null;
        refusals[slot] = null;
        reasons[slot] = null;
        extraHeaders[slot] = null;
        persistence[slot] = null;
    }

    @Override
    public String toString()
    {
        return "PendingPublishes{head=" + head + ", tail=" + tail + ", ending=" + ending + ", inputEnded=" +
            inputEnded + ", answers=" + Arrays.toString(answers) + "}";
    }
}
