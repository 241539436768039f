package io.sseflow.benchmarks.fanout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * The floor under every fan-out number on a machine: the cost of one small {@code write} and one {@code read} on a
 * loopback TCP socket, which each delivery needs at least once on each side unless events are coalesced.
 * Bounded: a fixed count of 100-byte writes, each read back.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sseflow.benchmarks.fanout.LoopbackSyscallCost [count]
 * </pre>
 */
public final class LoopbackSyscallCost
{
    private LoopbackSyscallCost()
    {
    }

    /**
     * Measure and print nanoseconds per write and per read.
     *
     * @param args optional count of writes (default 200,000).
     * @throws IOException on socket errors.
     */
    public static void main(final String[] args) throws IOException
    {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel writer = SocketChannel.open(server.getLocalAddress());
                SocketChannel reader = server.accept())
            {
                writer.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final ByteBuffer out = ByteBuffer.allocateDirect(100);
                final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
                for (int round = 0; round < 3; round++)
                {
                    long writeNs = 0;
                    long readNs = 0;
                    for (int i = 0; i < count; i++)
                    {
                        out.clear();
                        final long t0 = System.nanoTime();
                        writer.write(out);
                        final long t1 = System.nanoTime();
                        in.clear();
                        int got = 0;
                        while (got < 100)
                        {
                            got += reader.read(in);
                        }
                        readNs += System.nanoTime() - t1;
                        writeNs += t1 - t0;
                    }
                    System.out.printf(Locale.ROOT, "round %d: %,d writes of 100 B: %.0f ns per write, %.0f ns per read%n",
                        round, count, (double)writeNs / count, (double)readNs / count);
                }
            }
        }
    }
}
