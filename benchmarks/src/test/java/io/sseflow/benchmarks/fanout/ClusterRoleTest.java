package io.sseflow.benchmarks.fanout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The node's role read from its {@code /metrics} text, as the hub writes it. */
class ClusterRoleTest
{
    private static final String BEFORE = "# HELP sseflow_connections Open connections.\n" +
        "# TYPE sseflow_connections gauge\nsseflow_connections 3\n" +
        "# HELP sseflow_cluster_role Role of this cluster member: 0 follower, 1 candidate, 2 leader.\n" +
        "# TYPE sseflow_cluster_role gauge\n";
    private static final String AFTER = "# HELP sseflow_cluster_commit_position Cluster log position.\n" +
        "# TYPE sseflow_cluster_commit_position gauge\nsseflow_cluster_commit_position 256\n";

    @Test
    void shouldReadEachRoleFromTheGauge()
    {
        assertEquals(ClusterRole.FOLLOWER, ClusterRole.of(BEFORE + "sseflow_cluster_role 0\n" + AFTER));
        assertEquals(ClusterRole.CANDIDATE, ClusterRole.of(BEFORE + "sseflow_cluster_role 1\n" + AFTER));
        assertEquals(ClusterRole.LEADER, ClusterRole.of(BEFORE + "sseflow_cluster_role 2\n" + AFTER));
        assertEquals(ClusterRole.LEADER, ClusterRole.of(BEFORE + "sseflow_cluster_role 2"));
    }

    @Test
    void shouldSayNotClusteredWithoutTheGauge()
    {
        assertEquals(ClusterRole.NOT_CLUSTERED, ClusterRole.of("# HELP sseflow_connections Open connections.\n" +
            "sseflow_connections 3\n"));
        // a longer metric name that starts the same is another metric
        assertEquals(ClusterRole.NOT_CLUSTERED, ClusterRole.of("sseflow_cluster_role_changes_total 2\n"));
        assertEquals(ClusterRole.NOT_CLUSTERED, ClusterRole.of(""));
    }

    @Test
    void shouldRefuseAValueThatIsNoRole()
    {
        assertEquals("sseflow_cluster_role is not 0, 1 or 2: '3'",
            assertThrows(IllegalArgumentException.class, () -> ClusterRole.of("sseflow_cluster_role 3\n"))
                .getMessage());
        assertEquals("sseflow_cluster_role is not 0, 1 or 2: '2.0'",
            assertThrows(IllegalArgumentException.class, () -> ClusterRole.of("sseflow_cluster_role 2.0\n"))
                .getMessage());
    }
}
