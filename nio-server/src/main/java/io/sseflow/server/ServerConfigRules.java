package io.sseflow.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The checks and derivations {@link ServerConfig#conclude()} applies to the settings: each check throws an
 * {@code IllegalArgumentException} naming the setting, so a bad setting is refused before anything starts.
 */
final class ServerConfigRules
{
    private ServerConfigRules()
    {
    }

    /**
     * The history budget: the one given, or {@link ServerConfig#DEFAULT_HISTORY_TOTAL_BYTES}; never more than half
     * of the direct-memory limit, and at least what two of the largest events need.
     */
    static long fitHistoryTotalBytes(final long given, final long directLimit, final int minimum)
    {
        final long half = directLimit / 2;
        if (0 != given)
        {
            check(given >= minimum,
                "history total bytes (" + given + ") cannot hold the largest event: with max event bytes as set, " +
                "it must be at least " + minimum + " (" + JvmMemoryLimits.mib(minimum) + ")");
            check(given <= half,
                "history total bytes (" + given + ", " + JvmMemoryLimits.mib(given) + ") exceeds half of the JVM's " +
                "direct-memory limit (" + JvmMemoryLimits.mib(directLimit) + "): raise -XX:MaxDirectMemorySize or " +
                "lower it");
            return given;
        }
        final long fitted = Math.min(ServerConfig.DEFAULT_HISTORY_TOTAL_BYTES, half);
        check(fitted >= minimum,
            "the JVM's direct-memory limit (" + JvmMemoryLimits.mib(directLimit) + ") leaves a history budget of " +
            JvmMemoryLimits.mib(fitted) + ", too small for the largest event (it needs " +
            JvmMemoryLimits.mib(minimum) + "): raise -XX:MaxDirectMemorySize or lower max event bytes");
        return fitted;
    }

    /**
     * The stream-log budget: the one given, or {@link ServerConfig#DEFAULT_STREAM_HISTORY_TOTAL_BYTES} but never
     * more than a quarter of the direct-memory limit (unless that is less than what two of the largest events need:
     * then that); at least what two of the largest events need, and with the
     * history budget never more than three quarters of the direct-memory limit (the rest is for request buffers and
     * a log's copy while it shrinks).
     */
    static long fitStreamHistoryTotalBytes(
        final long given, final long historyTotal, final long directLimit, final int minimum)
    {
        final long room = directLimit / 4 * 3 - historyTotal;
        if (0 != given)
        {
            check(given >= minimum,
                "stream history total bytes (" + given + ") cannot hold the largest event: with max event bytes as " +
                "set, it must be at least " + minimum + " (" + JvmMemoryLimits.mib(minimum) + ")");
            check(given <= room,
                "stream history total bytes (" + given + ", " + JvmMemoryLimits.mib(given) + ") and history total " +
                "bytes (" + JvmMemoryLimits.mib(historyTotal) + ") exceed three quarters of the JVM's direct-memory " +
                "limit (" + JvmMemoryLimits.mib(directLimit) + "): raise -XX:MaxDirectMemorySize or lower them");
            return given;
        }
        final long quarter = Math.min(ServerConfig.DEFAULT_STREAM_HISTORY_TOTAL_BYTES, Math.min(directLimit / 4, room));
        final long fitted = quarter < minimum && minimum <= room ? minimum : quarter;
        check(fitted >= minimum,
            "the JVM's direct-memory limit (" + JvmMemoryLimits.mib(directLimit) + ") leaves a stream history " +
            "budget of " + JvmMemoryLimits.mib(Math.max(0, fitted)) + ", too small for the largest event (it needs " +
            JvmMemoryLimits.mib(minimum) + "): raise -XX:MaxDirectMemorySize or lower history total bytes");
        return fitted;
    }

    static boolean resolvesToLoopback(final String host)
    {
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    static boolean isValidOrigin(final String origin)
    {
        if ("*".equals(origin))
        {
            return true;
        }
        final int schemeEnd = origin.indexOf("://");
        if (schemeEnd <= 0 || origin.length() == schemeEnd + 3 || origin.indexOf('/', schemeEnd + 3) >= 0)
        {
            return false;
        }
        for (int i = 0; i < origin.length(); i++)
        {
            final char c = origin.charAt(i);
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    static SubscribeAuthorizer composeAuthorizer(final String token, final SubscribeAuthorizer hook)
    {
        if (null == token)
        {
            return hook;
        }
        if (!isValidToken(token))
        {
            throw new IllegalArgumentException("subscribe token must be 1..512 visible ASCII characters without spaces");
        }
        final SubscribeAuthorizer tokenCheck = SubscribeAuthorizer.bearerToken(token);
        if (null == hook)
        {
            return tokenCheck;
        }
        return SubscribeAuthorizer.of((request) ->
        {
            final Authorization answer = tokenCheck.authorization(request);
            if (!answer.isAllowed())
            {
                return answer;
            }
            final Authorization hookAnswer = hook.authorization(request);
            return null != hookAnswer && answer.credentialsInUrl() ? hookAnswer.withCredentialsInUrl() : hookAnswer;
        });
    }

    static boolean isValidToken(final String token)
    {
        if (token.isEmpty() || token.length() > 512)
        {
            return false;
        }
        for (int i = 0; i < token.length(); i++)
        {
            final char c = token.charAt(i);
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    static <T> T require(final T value, final String name)
    {
        if (null == value)
        {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
