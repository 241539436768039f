/**
 * JWT authorization for the hub, with Mercure's tokens: a JWS (HS256 with a shared secret, or RS256 / ES256 with a
 * PEM public key) whose {@code mercure} claim lists the topic selectors its bearer may {@code publish} and
 * {@code subscribe} to.
 * <p>
 * {@link io.sseflow.server.hub.jwt.JwtSettings} holds the key, validated once at start;
 * {@link io.sseflow.server.hub.jwt.JwtVerifier} checks one token string and answers its
 * {@link io.sseflow.server.hub.jwt.MercureClaims} or a named {@link io.sseflow.server.hub.jwt.JwtRefusal};
 * {@link io.sseflow.server.hub.jwt.TokenSources} finds the token in what a request carries (the
 * {@code Authorization} header, the query, the {@code mercureAuthorization} cookie) and
 * {@link io.sseflow.server.hub.jwt.JwtAuthenticator} puts the two together into a
 * {@link io.sseflow.server.hub.jwt.JwtAuthentication}, whose refusals are {@link io.sseflow.server.Refusal}s.
 * <p>
 * Signatures and key handling are the {@code com.nimbusds:nimbus-jose-jwt} library's, an optional dependency of
 * {@code sseflow-nio-server} that the hub jar contains; nothing outside this package refers to it, so an embedding
 * application that does not use this package does not need it.
 * <p>
 * Internal: the module {@code io.sseflow.server} does not export this package, and requires nimbus-jose-jwt only
 * statically: the hub run from the module path with {@code --jwt-key} also needs
 * {@code --add-modules com.nimbusds.jose.jwt}.
 */
package io.sseflow.server.hub.jwt;
