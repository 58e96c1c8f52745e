package dev.otptoken.host.cli;

import dev.otptoken.files.FileReason;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.log.LazySlf4jProvider;
import dev.otptoken.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.random.RandomGenerator;
import org.tinylog.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code otptoken} host program (docs/otptoken-cli.md). Global options live here; each command is
 * its own class, listed once in {@link #COMMANDS}: adding one is one class and one entry.
 */
@Command(name = "otptoken", mixinStandardHelpOptions = true, versionProvider = HostMain.ManifestVersion.class,
        description = "Provision and use an otptoken OATH token over a serial line.",
        footer = {"", "Global options may stand before or after the command: 'otptoken --port P code' is"
                + " 'otptoken code --port P'.",
            "", "Examples:", "  otptoken --port /dev/ttyACM0 list   the accounts on the token",
            "  otptoken code github                the codes of accounts named *github*",
            "  otptoken help provision             the same as 'otptoken provision --help'",
            "  otptoken devices                    the tokens this machine can see",
            "", "Exit status: 0 success; 2 usage error (unknown command or option, missing argument);"
                    + " 3 bad input (QR image, URI, account name; a file of the host's that cannot be read or"
                    + " written); 4 no token or the line failed;"
                    + " 5 the token refused; 6 password required or wrong.",
            "Each command's --help says which of these it can end with."})
public final class HostMain implements Runnable {
    private static final String PORT = "--port";
    private static final String READER = "--reader";
    private static final String JSON = "--json";

    /** Environment variable that stands in for {@code --port}. */
    public static final String PORT_VARIABLE = "OTPTOKEN_PORT";

    // INHERIT: every command accepts these after its name too; picocli sets them here, on the root,
    // wherever they were given, so address() and verbosity() read one place.
    // An empty value (an unset variable: --port "$PORT") is a usage error, not "none given": that
    // would go on to the only token found, which may be another than the one meant.
    @Option(names = PORT, scope = ScopeType.INHERIT, paramLabel = "DEVICE", converter = DeviceName.class,
            description = "serial device of the token (default: $OTPTOKEN_PORT, else the only token found)")
    String port;

    @Option(names = READER, scope = ScopeType.INHERIT, paramLabel = "NAME", converter = ReaderName.class,
            description = "PC/SC reader of the token")
    String reader;

    @Option(names = JSON, scope = ScopeType.INHERIT, description = "one JSON document on standard output ("
            + JsonOutput.COMMANDS + ")")
    boolean json;

    @Option(names = "-v", scope = ScopeType.INHERIT, description = "-v: progress logs; -vv: APDU traces (secrets redacted) and stack traces")
    boolean[] verbose = new boolean[0];

    /**
     * Every command, in the order {@code --help} lists them. picocli builds a command's model by
     * reflection on its annotations, which is most of the start-up time of a short command; a
     * command line that names one command builds that one alone ({@link #commandLine(HostMain, String[])},
     * docs/performance.md "Start-up").
     */
    static final List<Class<?>> COMMANDS = List.of(
            ProvisionCommand.class, AddCommand.class, ListCommand.class, CodeCommand.class, DeleteCommand.class,
            RenameCommand.class, ResetCommand.class, PasswordCommand.class, InfoCommand.class,
            ClockCommand.class, QrCommand.class, CalibrateCommand.class, DriftCommand.class,
            DemoCommand.class, DevicesCommand.class, HelpCommand.class);

    /** The global options that take a value as the next word. */
    private static final List<String> VALUED_OPTIONS = List.of(PORT, READER);

    /** How often -v was given on the whole line, as {@link #verbosity(CommandLine.ParseResult)} counts it. */
    private int verbosity;

    final Env env;

    HostMain(Env env) {
        this.env = env;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command");
    }

    int verbosity() {
        return verbosity;
    }

    /**
     * How often {@code -v} was given, before the command or after it, alone or clustered:
     * {@code -v -v code}, {@code -vv code}, {@code code -vv} and {@code -v code -v} are all 2. The
     * {@code verbose} array cannot say it: each command's part of the line starts it anew.
     */
    static int verbosity(CommandLine.ParseResult parsed) {
        int n = 0;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            n += (int) p.matchedOptions().stream().filter(o -> o.longestName().equals("-v")).count();
        }
        return n;
    }

    /**
     * The token to use: the {@code --reader}, else {@code --port}, else {@code $OTPTOKEN_PORT},
     * else the only token present ({@link TokenFinder#onlyToken}).
     */
    TokenAddress address() throws UsageException, IOException {
        if (reader != null) {
            if (port != null) {
                throw new UsageException("--port and --reader name two tokens: give one");
            }
            return new TokenAddress.PcscReader(reader);
        }
        String d = port != null ? port : env.environment().get(PORT_VARIABLE);
        if (d == null || d.isBlank()) {
            return TokenFinder.onlyToken(env.opener());
        }
        return new TokenAddress.SerialPort(d);
    }

    /**
     * The command model of {@code otptoken} (every command, option and help text), without
     * running anything: what the build's man page and shell completion generators read
     * (packaging, docs/decisions.md "Man pages and completion").
     */
    public static CommandLine commandLine() {
        return commandLine(new HostMain(new Env(System.out, System.err, InputStream.nullInputStream(),
                InstantSource.system(), Map.of(), false, Token.Opener.system())));
    }

    /** {@code main} with every command. */
    static CommandLine commandLine(HostMain main) {
        return withCommands(new CommandLine(main), COMMANDS);
    }

    /**
     * {@code main} with the commands {@code args} can reach: the one command it names, none for
     * {@code --version} without a command, every command otherwise ({@code --help},
     * {@code help}, a mistyped name: what lists or suggests commands). Parsing and output are those
     * of {@link #commandLine(HostMain)} for the same line.
     */
    static CommandLine commandLine(HostMain main, String[] args) {
        return withCommands(new CommandLine(main), commandsFor(args));
    }

    /** The commands {@link #commandLine(HostMain, String[])} builds for {@code args}. */
    static List<Class<?>> commandsFor(String[] args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED_OPTIONS.contains(a)) {
                if (i + 1 < args.length && named(args[i + 1]) != null) {
                    return COMMANDS; // picocli refuses a command's name as the value, naming the command
                }
                i++;
            } else if (a.equals("--version") || a.equals("-V")) {
                version = true;
            } else if (a.equals(JSON) || isVerbose(a)
                    || VALUED_OPTIONS.stream().anyMatch(o -> a.startsWith(o + "="))) {
                continue;
            } else if (a.startsWith("-")) {
                return COMMANDS; // --help, a mistyped option, "--": picocli says what to do with it
            } else {
                Class<?> named = named(a);
                return named == null || named == HelpCommand.class ? COMMANDS : List.of(named);
            }
        }
        // no command: --version prints and ends before any command matters; anything else
        // ("missing command", --json's refusal) is said with every command known
        return version ? List.of() : COMMANDS;
    }

    /** The command whose name is {@code word}, or null. */
    private static Class<?> named(String word) {
        for (Class<?> c : COMMANDS) {
            if (word.equals(c.getAnnotation(Command.class).name())) {
                return c;
            }
        }
        return null;
    }

    /** {@code -v}, {@code -vv}, ...: the one clustered global flag. */
    private static boolean isVerbose(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        for (int i = 1; i < arg.length(); i++) {
            if (arg.charAt(i) != 'v') {
                return false;
            }
        }
        return true;
    }

    private static CommandLine withCommands(CommandLine cl, List<Class<?>> commands) {
        for (Class<?> c : commands) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    public static void main(String[] args) {
        Optional<String> unread = Locales.unreadable(args);
        if (unread.isPresent()) {
            System.err.println("otptoken: " + unread.get());
            System.exit(ExitStatus.USAGE);
        }
        LazySlf4jProvider.install();
        int status = run(args, new Env(System.out, System.err, System.in, InstantSource.system(), System.getenv(),
                System.console() != null, Token.Opener.system()));
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one command line in this JVM, as {@code bin/otptoken} would, on the system clock and
     * the real serial and PC/SC openers, and returns its exit status; never throws. For the
     * system tests, which run thousands of commands against one token and cannot afford a JVM
     * start for each.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
                          Map<String, String> environment) {
        return run(args, new Env(out, err, in, InstantSource.system(), Map.copyOf(environment), false,
                Token.Opener.system()));
    }

    /** Runs one command line and returns its exit status; never throws. */
    static int run(String[] args, Env env) {
        return run(args, env, false);
    }

    /**
     * {@link #run(String[], Env)} with every command built ({@code everyCommand}) or those the
     * line can reach: the same output and status either way.
     */
    static int run(String[] args, Env env, boolean everyCommand) {
        if (!everyCommand && args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the whole line is a request for the version: answered as picocli would, without
            // building the parser it does not need (docs/performance.md, "Start-up"); an
            // unreadable manifest is left to picocli's handling of the provider's failure
            try {
                String[] lines = ManifestVersion.lines();
                for (String line : lines) {
                    env.out().println(line);
                }
                env.out().flush();
                return ExitStatus.OK;
            } catch (IOException unreadable) {
                Log.debug("manifest: {}", unreadable.getMessage());
            }
        }
        HostMain main = new HostMain(env);
        CommandLine cl = everyCommand ? commandLine(main) : commandLine(main, args);
        // every path an option or parameter takes: an empty one is most likely an unset variable,
        // and to the file system it is the working directory
        cl.registerConverter(Path.class, HostMain::path);
        cl.setOut(new PrintWriter(env.out(), true));
        cl.setErr(new PrintWriter(env.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            env.err().println(Failures.usageMessage(ex));
            env.err().println("otptoken: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return ExitStatus.USAGE;
        });
        cl.setExecutionStrategy(parseResult -> {
            main.verbosity = verbosity(parseResult);
            configureLogging(main.verbosity());
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            JsonOutput.check(main.json, parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = ex;
            env.err().println(Failures.message(cause));
            if (main.verbosity() >= 2) {
                StringWriter trace = new StringWriter();
                cause.printStackTrace(new PrintWriter(trace));
                env.err().print(trace);
            }
            return Failures.exitStatus(cause);
        });
        return cl.execute(args);
    }

    /** --port's value: a device's path, refused when empty or blank. */
    static final class DeviceName implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException(FileReason.EMPTY_PATH);
            }
            return value;
        }
    }

    /** --reader's value, refused when empty or blank. */
    static final class ReaderName implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException("the name is empty (an unset variable?)");
            }
            return value;
        }
    }

    /** A path of the command line; an empty one is refused (a usage error, after picocli's "Invalid value for ...: "). */
    static Path path(String text) {
        if (text.isEmpty()) {
            throw new CommandLine.TypeConversionException(FileReason.EMPTY_PATH);
        }
        return Path.of(text);
    }

    /** Whether a command of this JVM has set the log level yet. */
    private static boolean loggingConfigured;

    private static synchronized void configureLogging(int verbosity) {
        Log.verbosity(verbosity);
        if (verbosity == 0 && !loggingConfigured) {
            // tinylog.properties says warn already: leave tinylog unloaded until something logs
            return;
        }
        loggingConfigured = true;
        String level = verbosity >= 2 ? "trace" : verbosity == 1 ? "info" : "warn";
        try {
            Configuration.set("writer.level", level);
        } catch (UnsupportedOperationException alreadyFrozen) {
            // tinylog freezes its configuration at the first log call; in-process tests run many commands
        }
    }

    /**
     * Standard streams, time, environment, the way tokens are opened and the source of the
     * host's challenges, injected so that tests can run commands in-process.
     */
    record Env(PrintStream out, PrintStream err, InputStream in, InstantSource clock, Map<String, String> environment,
               boolean console, Token.Opener opener, RandomGenerator random) {
        /** With a {@link SecureRandom} for the challenges the host sends (VALIDATE, SET CODE). */
        Env(PrintStream out, PrintStream err, InputStream in, InstantSource clock, Map<String, String> environment,
            boolean console, Token.Opener opener) {
            this(out, err, in, clock, environment, console, opener, new LazySecureRandom());
        }
    }

    /**
     * A {@link SecureRandom} made at its first use: most commands send no challenge, and making
     * one (its provider, the system's entropy source) is start-up time they need not spend.
     */
    static final class LazySecureRandom implements RandomGenerator {
        private SecureRandom random;

        private synchronized SecureRandom random() {
            if (random == null) {
                random = new SecureRandom();
            }
            return random;
        }

        @Override
        public long nextLong() {
            return random().nextLong();
        }

        @Override
        public int nextInt() {
            return random().nextInt();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            random().nextBytes(bytes);
        }
    }

    /** {@code Implementation-Version} from the jar manifest. */
    static final class ManifestVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return lines();
        }

        static String[] lines() throws IOException {
            String version = HostMain.class.getPackage().getImplementationVersion();
            if (version == null) {
                URL url = HostMain.class.getResource("/META-INF/MANIFEST.MF");
                if (url != null) {
                    try (InputStream in = url.openStream()) {
                        version = new Manifest(in).getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
                    }
                }
            }
            return new String[] {"otptoken " + (version == null ? "(development build)" : version)};
        }
    }
}
