package io.sseflow.benchmarks.fanout;

import java.util.ArrayList;
import java.util.List;

/**
 * The sseflow hub's command-line arguments as every scenario starts it: {@code -jar} of {@code --sseflow-jar}, its
 * history, a heartbeat that stays out of the measurements, connection limits above the subscriber count, then the
 * {@code --sseflow-arg} flags (the caller adds host, port and the node's own flags).
 */
final class HubCommand
{
    private HubCommand()
    {
    }

    /**
     * What a server's command starts with: {@code taskset -c LIST} with {@code --server-cpus}, else nothing.
     *
     * @param settings the run's settings.
     * @return the words before {@code java}.
     */
    static List<String> cpuPrefix(final FanOutSettings settings)
    {
        return null == settings.serverCpus ? List.of() : List.of("taskset", "-c", settings.serverCpus);
    }

    /**
     * Everything after the JVM's flags.
     *
     * @param settings    the run's settings.
     * @param subscribers subscribers this hub may get.
     * @return {@code -jar JAR --history ... [--sseflow-arg values]}.
     */
    static List<String> hubArguments(final FanOutSettings settings, final int subscribers)
    {
        final List<String> arguments = new ArrayList<>();
        arguments.add("-jar");
        arguments.add(settings.sseflowJar.toString());
        arguments.addAll(List.of("--history", Integer.toString(settings.history),
            "--heartbeat-ms", "15000", "--max-connections", Integer.toString(subscribers + 64)));
        if (settings.sseflowPerAddressLimit)
        {
            arguments.addAll(List.of("--max-connections-per-address", Integer.toString(subscribers + 64)));
        }
        arguments.addAll(settings.sseflowArgs);
        return arguments;
    }
}
