/**
 * The Mercure protocol's request forms, decoded and validated as Mercure hubs do: the publish body
 * ({@code application/x-www-form-urlencoded}: {@code topic}, {@code data}, {@code private}, {@code id},
 * {@code type}, {@code retry}) and the subscribe query ({@code topic} selectors, {@code lastEventID}), each
 * refusal a named outcome with the reason a {@code 400} carries; and the {@code urn:uuid:} ids generated for updates
 * published without one ({@code GeneratedIds}).
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package.
 */
package io.sseflow.server.mercure;
