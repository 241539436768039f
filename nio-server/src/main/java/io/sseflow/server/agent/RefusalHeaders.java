package io.sseflow.server.agent;

import io.sseflow.server.Refusal;
import io.sseflow.server.http.HttpResponses;
import io.sseflow.server.mercure.ProtectedResourceMetadata;

/**
 * The header line each refusal's answer carries, pre-encoded once with its CRLF: the refusal's own
 * ({@link ResponseHeaders#of}), except that with a metadata URL (a hub that takes Mercure 1.0 access tokens and
 * serves its protected resource metadata, see {@link ProtectedResourceMetadata#url}) every {@code Bearer} challenge
 * also names it, {@code resource_metadata="URL"} (RFC 9728 section 5.1; the draft's "Error Responses" says SHOULD,
 * for every such 401 and 403, not only when no token was presented).
 */
final class RefusalHeaders
{
    private static final String BEARER = "WWW-Authenticate: Bearer";

    private final byte[][] lines = new byte[Refusal.values().length][];

    /**
     * @param metadataUrl where the hub's protected resource metadata is served, or null for none: the lines are
     *                    then the refusals' own.
     */
    RefusalHeaders(final String metadataUrl)
    {
        for (final Refusal refusal : Refusal.values())
        {
            final String header = refusal.extraHeader();
            if (null == header)
            {
                continue;
            }
            lines[refusal.ordinal()] = HttpResponses.ascii(withMetadata(header, metadataUrl) + "\r\n");
        }
    }

    /**
     * The line a refusal's answer carries.
     *
     * @param refusal which.
     * @return the line with its CRLF, or null.
     */
    byte[] of(final Refusal refusal)
    {
        return lines[refusal.ordinal()];
    }

    private static String withMetadata(final String header, final String metadataUrl)
    {
        if (null == metadataUrl || !header.startsWith(BEARER))
        {
            return header;
        }
        final String parameter = "resource_metadata=\"" + metadataUrl + "\"";
        return header.length() == BEARER.length() ? BEARER + " " + parameter : header + ", " + parameter;
    }
}
