package io.sseflow.server.hub;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each hub setting comes from. Every flag of {@link HubOptions#USAGE} may also be given as an environment
 * variable ({@code SSEFLOW_} and the flag's name in upper case with {@code _} for {@code -}: {@code --jwt-key} is
 * {@code SSEFLOW_JWT_KEY}) and as a key of a configuration file ({@code --config FILE} or {@code SSEFLOW_CONFIG}),
 * a Java properties file whose keys are the flags' names without {@code --} ({@code port=8080}). Precedence: flags
 * over the environment over the file over the defaults; one value per flag wins, whole.
 * <p>
 * Secrets need not be on the command line, where {@code ps} shows them: {@code --jwt-secret-file F},
 * {@code --publish-token-file F} and {@code --subscribe-token-file F} read {@code --jwt-key}, {@code --publish-token}
 * and {@code --subscribe-token} from a file (its content without the line end), and fill the same slot: from one
 * source, a secret and its file exclude each other; from two, the higher one wins.
 * <p>
 * A key no flag has (in the file, or an {@code SSEFLOW_} variable) is refused, and so is a bad value: the message
 * names the key, where it came from ({@code flag}, {@code environment SSEFLOW_PORT}, {@code FILE:LINE}) and why.
 */
public final class ConfigSources
{
    /**
     * The flag naming the configuration file.
     */
    public static final String CONFIG = "--config";

    /**
     * The flag asking for the effective settings to be printed instead of starting.
     */
    public static final String PRINT_CONFIG = "--print-config";

    /**
     * The environment variable naming the configuration file.
     */
    public static final String CONFIG_ENVIRONMENT = "SSEFLOW_CONFIG";

    static final String ENVIRONMENT_PREFIX = "SSEFLOW_";

    private static final Pattern USAGE_FLAG = Pattern.compile("^ {2}(--[a-z][a-z-]*)", Pattern.MULTILINE);
    private static final Set<String> STANDALONE = Set.of("--allow-anonymous", "--restore", "--help", "--version",
        PRINT_CONFIG);
    private static final Set<String> COMMAND_LINE_ONLY = Set.of("--help", "--version", PRINT_CONFIG, CONFIG);
    private static final Map<String, String> SECRET_FILES = Map.of(
        "--jwt-secret-file", "--jwt-key",
        "--publish-token-file", "--publish-token",
        "--subscribe-token-file", "--subscribe-token");
    private static final Set<String> SECRETS = Set.of("--jwt-key", "--publish-token", "--subscribe-token");
    private static final Set<String> KNOWN = knownFlags();

    /**
     * One setting and where it came from.
     *
     * @param flag   the flag it sets, {@code --port}.
     * @param value  its value as given ({@code true} for a standalone flag).
     * @param source {@code flag}, {@code environment SSEFLOW_PORT} or {@code FILE:LINE}; for a secret read from a
     *               file, that file and where its name came from.
     */
    public record Setting(String flag, String value, String source)
    {
        /**
         * @return the value, or {@code ***} for a secret.
         */
        public String printableValue()
        {
            return SECRETS.contains(flag) ? "*** (" + value.length() + " characters)" : value;
        }
    }

    private final List<Setting> settings;
    private final boolean printConfig;

    private ConfigSources(final List<Setting> settings, final boolean printConfig)
    {
        this.settings = settings;
        this.printConfig = printConfig;
    }

    /**
     * Resolve the settings from the command line, the environment and the configuration file.
     *
     * @param args        command-line arguments.
     * @param environment the process's environment ({@code System.getenv()}).
     * @return the settings, one per flag.
     * @throws IllegalArgumentException naming the key, its source and the problem.
     */
    public static ConfigSources resolve(final String[] args, final Map<String, String> environment)
    {
        final List<Setting> fromFlags = fromArgs(args);
        boolean printConfig = false;
        String configFile = environment.get(CONFIG_ENVIRONMENT);
        final List<Setting> flags = new ArrayList<>();
        for (final Setting setting : fromFlags)
        {
            if (PRINT_CONFIG.equals(setting.flag()))
            {
                printConfig = HubOptions.booleanValue(setting.flag(), setting.value());
            }
            else if (CONFIG.equals(setting.flag()))
            {
                configFile = setting.value();
            }
            else
            {
                flags.add(setting);
            }
        }

        final Map<String, Setting> merged = new LinkedHashMap<>();
        if (null != configFile)
        {
            putAll(merged, fromFile(Path.of(configFile)));
        }
        putAll(merged, fromEnvironment(environment));
        putAll(merged, flags);
        final List<Setting> resolved = new ArrayList<>(merged.size());
        for (final Setting setting : merged.values())
        {
            resolved.add(readSecretFile(setting));
        }
        return new ConfigSources(Collections.unmodifiableList(resolved), printConfig);
    }

    /**
     * The command line's settings alone, in order (a flag given twice appears twice).
     *
     * @param args command-line arguments: {@code --flag value}, {@code --flag=value}, or a standalone flag.
     * @return the settings, each from {@code flag}.
     * @throws IllegalArgumentException for an argument that is not a flag or a flag without its value.
     */
    public static List<Setting> fromArgs(final String[] args)
    {
        final List<Setting> settings = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (flags start with --)");
            }
            final int equals = arg.indexOf('=');
            final String flag = equals > 0 ? arg.substring(0, equals) : arg;
            if (equals > 0)
            {
                settings.add(new Setting(flag, arg.substring(equals + 1), "flag"));
            }
            else if (STANDALONE.contains(flag))
            {
                settings.add(new Setting(flag, "true", "flag"));
            }
            else
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                settings.add(new Setting(flag, args[++i], "flag"));
            }
        }
        return settings;
    }

    /**
     * @return the settings, one per flag, a secret file already read into its secret.
     */
    public List<Setting> settings()
    {
        return settings;
    }

    /**
     * @return true when {@code --print-config} was given.
     */
    public boolean printConfig()
    {
        return printConfig;
    }

    /**
     * The effective settings, one line each, secrets masked: what {@code --print-config} prints.
     *
     * @return the text, each line ending with a line end.
     */
    public String describe()
    {
        final StringBuilder text = new StringBuilder();
        for (final Setting setting : settings)
        {
            text.append(setting.flag()).append(' ').append(setting.printableValue())
                .append("    # ").append(setting.source()).append('\n');
        }
        text.append("# every other flag: its default (java -jar sseflow-server.jar --help)\n");
        return text.toString();
    }

    /**
     * The environment variable of a flag.
     *
     * @param flag {@code --jwt-key}.
     * @return {@code SSEFLOW_JWT_KEY}.
     */
    public static String environmentName(final String flag)
    {
        return ENVIRONMENT_PREFIX + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static void putAll(final Map<String, Setting> merged, final List<Setting> settings)
    {
        final Set<String> slotsOfThisSource = new LinkedHashSet<>();
        for (final Setting setting : settings)
        {
            final String slot = SECRET_FILES.getOrDefault(setting.flag(), setting.flag());
            final Setting earlier = merged.get(slot);
            if (!slotsOfThisSource.add(slot) && null != earlier && !earlier.flag().equals(setting.flag()))
            {
                throw new IllegalArgumentException(earlier.flag() + " and " + setting.flag() + " exclude each " +
                    "other (" + earlier.source() + ", " + setting.source() + "): give the secret or its file");
            }
            merged.remove(slot);
            merged.put(slot, setting);
        }
    }

    private static List<Setting> fromEnvironment(final Map<String, String> environment)
    {
        final Map<String, String> byName = new TreeMap<>(environment);
        final List<Setting> settings = new ArrayList<>();
        for (final Map.Entry<String, String> entry : byName.entrySet())
        {
            final String name = entry.getKey();
            if (!name.startsWith(ENVIRONMENT_PREFIX) || CONFIG_ENVIRONMENT.equals(name))
            {
                continue;
            }
            final String flag = "--" + name.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT)
                .replace('_', '-');
            if (!KNOWN.contains(flag) || COMMAND_LINE_ONLY.contains(flag) ||
                !environmentName(flag).equals(name))
            {
                throw new IllegalArgumentException("unknown environment variable " + name + ": no flag " + flag +
                    " (see --help; variables are SSEFLOW_ and a flag's name, e.g. SSEFLOW_PORT)");
            }
            settings.add(new Setting(flag, entry.getValue(), "environment " + name));
        }
        return settings;
    }

    private static List<Setting> fromFile(final Path file)
    {
        final List<String> lines;
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(CONFIG + ": cannot read " + file + ": " + ex, ex);
        }
        final Map<Integer, Setting> byLine = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            final int line = lineOf(lines, key);
            final String source = file + ":" + line;
            final String flag = "--" + key;
            if (!KNOWN.contains(flag) || COMMAND_LINE_ONLY.contains(flag))
            {
                throw new IllegalArgumentException("unknown key '" + key + "' (" + source + "): keys are the " +
                    "flags' names without --, e.g. port=8080 (see --help)");
            }
            byLine.put(line, new Setting(flag, properties.getProperty(key), source));
        }
        return new ArrayList<>(byLine.values());
    }

    /**
     * The line a key is given on: the first line that, after leading blanks, starts with the key followed by a
     * blank, {@code =} or {@code :} (the properties format's separators). Keys written with escapes are not found
     * and are reported at line 0.
     */
    private static int lineOf(final List<String> lines, final String key)
    {
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).stripLeading();
            if (line.startsWith(key) && line.length() > key.length())
            {
                final char next = line.charAt(key.length());
                if (next == '=' || next == ':' || next == ' ' || next == '\t')
                {
                    return i + 1;
                }
            }
            else if (line.equals(key))
            {
                return i + 1;
            }
        }
        return 0;
    }

    private static Setting readSecretFile(final Setting setting)
    {
        final String secret = SECRET_FILES.get(setting.flag());
        if (null == secret)
        {
            return setting;
        }
        final Path file = Path.of(setting.value());
        final String content;
        try
        {
            content = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(setting.flag() + ": cannot read " + file + " (" + setting.source() +
                "): " + ex, ex);
        }
        final String value = stripLineEnd(content);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)
        {
            throw new IllegalArgumentException(setting.flag() + ": " + file + " (" + setting.source() + ") holds " +
                "more than one line; it must hold the secret alone");
        }
        return new Setting(secret, value, "file " + file + " from " + setting.flag() + " (" + setting.source() + ")");
    }

    private static String stripLineEnd(final String content)
    {
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r'))
        {
            end--;
        }
        return content.substring(0, end);
    }

    private static Set<String> knownFlags()
    {
        final Set<String> flags = new LinkedHashSet<>();
        final Matcher matcher = USAGE_FLAG.matcher(HubOptions.USAGE);
        while (matcher.find())
        {
            flags.add(matcher.group(1));
        }
        return Collections.unmodifiableSet(flags);
    }
}
