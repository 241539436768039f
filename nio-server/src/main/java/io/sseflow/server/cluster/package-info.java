/**
 * The durable and clustered event sequencer: every hub node is an Aeron Cluster member whose clustered service
 * applies committed publish records in log order through a deterministic
 * {@code EventStateMachine} (hub seq, per-topic ids by topic name, duplicate explicit
 * ids, retained history in snapshots). {@code ClusterNode} starts the media driver,
 * archive, consensus module and service container of one member; {@code ClusterEventSequencer}
 * is the {@link io.sseflow.server.sequencer.EventSequencer} the server agent polls. A single durable node is a
 * one-member cluster. Member identity: {@code MemberIdentity} marks a data dir as one member's, an empty member of
 * several joins only as {@code JoinRule} allows from what {@code PeerArchives} finds, and {@code MemberRestore}
 * fills an empty data dir from the leader (Aeron's {@code ClusterBackup}). Needs the optional dependency
 * {@code io.aeron:aeron-cluster}.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package; the hub builds the clustered
 * sequencer from its flags ({@code --data-dir}, {@code --cluster-members}). On the module path it also needs the
 * Aeron modules added ({@code --add-modules io.aeron.cluster}), since the module requires them only statically.
 */
package io.sseflow.server.cluster;
