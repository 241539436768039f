package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --scenario durable} and its options: defaults and every refusal's exact message. */
class DurableSettingsTest
{
    @Test
    void shouldRunTheFanOutScenarioByDefault()
    {
        final FanOutSettings settings = FanOutSettings.parse(new String[0]);
        assertEquals(FanOutSettings.Scenario.FANOUT, settings.scenario);
        assertEquals(List.of("sseflow", "netty", "webflux"), settings.servers);
        assertEquals(10, settings.stalledPercent);
    }

    @Test
    void shouldRunEveryConfigurationWithAThousandSubscribersAndThreeFailovers()
    {
        final FanOutSettings settings = FanOutSettings.parse(new String[] {"--scenario", "durable"});
        assertEquals(FanOutSettings.Scenario.DURABLE, settings.scenario);
        assertEquals(List.of(HubConfiguration.MEMORY, HubConfiguration.DURABLE, HubConfiguration.CLUSTER),
            settings.configurations);
        assertEquals(List.of("sseflow"), settings.servers);
        assertArrayEquals(new int[] {1_000}, settings.subscriberCounts);
        assertEquals(0, settings.stalledPercent);
        assertEquals(3, settings.failoverRuns);
        assertEquals(100, settings.failoverRate);
        assertEquals(1_800, settings.timeLimitSeconds);
        assertEquals(10, settings.measureSeconds);
    }

    @Test
    void shouldShortenEveryPhaseAndFailOverOnceWhenQuick()
    {
        final FanOutSettings settings = FanOutSettings.parse(new String[] {"--scenario", "durable", "--quick"});
        assertArrayEquals(new int[] {1_000}, settings.subscriberCounts);
        assertEquals(1, settings.failoverRuns);
        assertEquals(FanOutSettings.QUICK_DURABLE_TIME_LIMIT_SECONDS, settings.timeLimitSeconds);
        assertEquals(3, settings.measureSeconds);
        assertEquals(3, settings.fixedSeconds);
    }

    @Test
    void shouldKeepWhatTheCommandLineGivesOverTheScenariosDefaults()
    {
        final FanOutSettings settings = FanOutSettings.parse(new String[] {"--quick", "--failover-runs", "2",
            "--scenario", "durable", "--subscribers", "300", "--time-limit-s", "90", "--configurations",
            "cluster,memory", "--failover-rate", "50"});
        assertEquals(2, settings.failoverRuns);
        assertArrayEquals(new int[] {300}, settings.subscriberCounts);
        assertEquals(90, settings.timeLimitSeconds);
        assertEquals(List.of(HubConfiguration.CLUSTER, HubConfiguration.MEMORY), settings.configurations);
        assertEquals(50, settings.failoverRate);
    }

    @Test
    void shouldRefuseAnUnknownScenario()
    {
        assertEquals("--scenario must be fanout or durable: cluster", refusal("--scenario", "cluster"));
    }

    @Test
    void shouldRefuseAnUnknownOrRepeatedConfiguration()
    {
        assertEquals("unknown configuration 'disk' in --configurations (memory, durable, cluster, " +
            "durable-nofsync, cluster-nofsync)",
            refusal("--scenario", "durable", "--configurations", "memory,disk"));
        assertEquals("unknown configuration '' in --configurations (memory, durable, cluster, " +
            "durable-nofsync, cluster-nofsync)",
            refusal("--scenario", "durable", "--configurations", "memory,"));
        assertEquals("--configurations lists cluster twice",
            refusal("--scenario", "durable", "--configurations", "cluster,durable,cluster"));
    }

    @Test
    void shouldRunTheDurableConfigurationsWithFsyncOffWhenAsked()
    {
        final FanOutSettings settings = FanOutSettings.parse(new String[] {"--scenario", "durable", "--configurations",
            "durable,durable-nofsync,cluster,cluster-nofsync"});
        assertEquals(List.of(HubConfiguration.DURABLE, HubConfiguration.DURABLE_NO_FSYNC, HubConfiguration.CLUSTER,
            HubConfiguration.CLUSTER_NO_FSYNC), settings.configurations);
        assertEquals(List.of(), HubConfiguration.DURABLE.hubFlags());
        assertEquals(List.of("--fsync=false"), HubConfiguration.DURABLE_NO_FSYNC.hubFlags());
        assertEquals(List.of("--fsync=false"), HubConfiguration.CLUSTER_NO_FSYNC.hubFlags());
        assertEquals(3, HubConfiguration.CLUSTER_NO_FSYNC.nodes());
        assertEquals("durable node, --fsync=false", HubConfiguration.DURABLE_NO_FSYNC.label());
    }

    @Test
    void shouldRefuseConfigurationsOutsideTheDurableScenario()
    {
        assertEquals("--configurations needs --scenario durable", refusal("--configurations", "cluster"));
    }

    @Test
    void shouldRefuseServersInTheDurableScenario()
    {
        assertEquals("--servers applies to --scenario fanout only (--scenario durable runs the sseflow hub: " +
            "choose with --configurations)", refusal("--servers", "sseflow", "--scenario", "durable"));
    }

    @Test
    void shouldRefuseFailoverRunsAndRatesOutOfRange()
    {
        assertEquals("--failover-runs must be 0 to 20", refusal("--failover-runs", "21"));
        assertEquals("--failover-runs must be 0 to 20", refusal("--failover-runs", "-1"));
        assertEquals("--failover-rate must be 1 to 1000", refusal("--failover-rate", "0"));
        assertEquals("--failover-rate must be 1 to 1000", refusal("--failover-rate", "1001"));
        assertEquals(0, FanOutSettings.parse(new String[] {"--scenario", "durable", "--failover-runs", "0"})
            .failoverRuns);
    }

    private static String refusal(final String... args)
    {
        return assertThrows(IllegalArgumentException.class, () -> FanOutSettings.parse(args)).getMessage();
    }
}
