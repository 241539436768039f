package io.sseflow.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What build this is: the version Maven stamped into {@code build-info.properties} (also the hub jar's
 * {@code Implementation-Version}), shown by {@code --version} and as {@code sseflow_build_info{version="..."} 1} in
 * {@code /metrics}.
 */
public final class BuildInfo
{
    private static final String VERSION = readVersion();

    private BuildInfo()
    {
    }

    /**
     * @return the version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the build's resource is missing.
     */
    public static String version()
    {
        return VERSION;
    }

    private static String readVersion()
    {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties"))
        {
            if (null == in)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String version = properties.getProperty("version", "unknown").trim();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }
}
