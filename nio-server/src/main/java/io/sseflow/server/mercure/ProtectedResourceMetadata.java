package io.sseflow.server.mercure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The hub's OAuth 2.0 Protected Resource Metadata (RFC 9728) as Mercure 1.0 (the draft) describes it, served at
 * {@link #PATH}: its {@code resource} identifier (what access tokens' {@code aud} must hold), the authorization
 * detail type it understands, the bearer method ({@code header}), the cookie it also reads
 * ({@code mercure_cookie}) and its matcher types. No {@code authorization_servers}: this hub's tokens are
 * self-issued (one trusted issuer, {@code --jwt-issuer}). No {@code mercure_subscriptions}: the hub's
 * {@code --subscriptions} API is the pre-standardization one, not the draft's.
 * A pure function of its inputs, rendered once.
 */
public final class ProtectedResourceMetadata
{
    /**
     * Where the document is served: RFC 9728's well-known path derived from {@code /.well-known/mercure}.
     */
    public static final String PATH = "/.well-known/oauth-protected-resource/.well-known/mercure";

    private ProtectedResourceMetadata()
    {
    }

    /**
     * The absolute URL of the document, for the {@code resource_metadata} parameter of {@code WWW-Authenticate}
     * challenges (RFC 9728 section 5.1): the resource identifier's origin followed by {@link #PATH}, the path this
     * hub serves it at. The identifier is the one name of the hub its operator configured and every client checks
     * (tokens' {@code aud}, the document's {@code resource}), so its origin is where clients reach the hub; the
     * request's {@code Host} is not used, as a client (or a proxy's internal name) could put anything there. For the
     * usual identifier, {@code https://hub.example.com/.well-known/mercure}, this is also the URL RFC 9728 section
     * 3.1 derives from it.
     *
     * @param resource the hub's resource identifier.
     * @return the URL, or null when the identifier is not an absolute {@code http} or {@code https} URL of printable
     * ASCII with a host (no URL to point at: challenges then go without the parameter).
     */
    public static String url(final String resource)
    {
        final URI uri;
        try
        {
            uri = new URI(resource);
        }
        catch (final URISyntaxException ex)
        {
            return null;
        }
        final String scheme = uri.getScheme();
        if (null == scheme || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) ||
            null == uri.getHost() || null != uri.getRawUserInfo())
        {
            return null;
        }
        final String url = scheme.toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + PATH;
        for (int i = 0; i < url.length(); i++)
        {
            final char c = url.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\')
            {
                return null;
            }
        }
        return url;
    }

    /**
     * The document.
     *
     * @param resource the hub's resource identifier, such as {@code https://hub.example.com/.well-known/mercure}.
     * @return the JSON document's UTF-8 bytes.
     */
    public static byte[] json(final String resource)
    {
        final StringBuilder json = new StringBuilder(320);
        json.append("{\"resource\":");
        string(json, resource);
        json.append(",\"authorization_details_types_supported\":[\"https://mercure.rocks/authorization-detail\"]")
            .append(",\"bearer_methods_supported\":[\"header\"]")
            .append(",\"mercure_cookie\":\"__Secure-mercure_access_token\"")
            .append(",\"mercure_matcher_types_supported\":[\"exact\",\"urlpattern\"]");
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void string(final StringBuilder json, final String value)
    {
        json.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                json.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                json.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                json.append(c);
            }
        }
        json.append('"');
    }
}
