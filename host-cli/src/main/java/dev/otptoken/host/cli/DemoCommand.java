package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.qr.QrDecoder;
import dev.otptoken.host.qr.QrEncoder;
import dev.otptoken.host.qr.QrText;
import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.tinylog.Logger;
import picocli.CommandLine.Command;

/**
 * The whole life of an account in one command, for a newcomer: a simulated token in its own
 * process on a pseudo-terminal (host code never imports the firmware), a QR code as a site
 * would show it, provisioning through exactly the code of {@code provision}, and three codes
 * for one time step (host, token over the serial line, token display after a button press)
 * that must agree. The secret is random, used once, never printed and never stored.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a simulated token, make a QR code, provision it over the serial line,"
                + " press the button, and show that token and host agree.")
final class DemoCommand extends TokenCommand {
    /** Set by {@code bin/otptoken}: the repository, where {@code bin/otptoken-sim} lives. */
    static final String HOME_PROPERTY = "otptoken.home";
    static final String SIM_LAUNCHER = "bin/otptoken-sim";
    static final String SIM_JAR = "firmware-sim/target/otptoken-sim.jar";
    /** The simulator's first line on standard output once its pseudo-terminal exists (docs/otptoken-sim.md). */
    static final String ATTACHED = "attached: ";
    /** Headless display lines (docs/otptoken-sim.md): {@code display: CODE Ns} or {@code display: off}. */
    static final String DISPLAY = "display: ";
    static final String DISPLAY_OFF = "display: off";
    static final String ISSUER = "otptoken-demo";
    static final String ACCOUNT = "newcomer@example.com";
    /** RFC 4226 recommends 160 bits for SHA-1. */
    static final int SECRET_BYTES = 20;
    static final int PERIOD_SECONDS = 30;
    static final int DIGITS = 6;
    /** Pixels per QR module, as {@code qr encode} makes them. */
    static final int MODULE_SIZE = 8;
    /**
     * Start the comparison only with this much of the step left, so all three codes share it: a
     * press in a step's last 5 seconds shows the next step's code (firmware.ui), and the
     * comparison itself takes about a second.
     */
    static final int MIN_SECONDS_LEFT = 8;
    /** Bound on the simulator's start (a JVM start, a pseudo-terminal). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Bound on the display's answer to a press. */
    static final Duration DISPLAY_TIMEOUT = Duration.ofSeconds(5);
    /** Bound on the simulator's exit after {@code quit}, and again after a plain destroy. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        List<String> simCommand = simulatorCommand(home());
        Path dir = Files.createTempDirectory("otptoken-demo-");
        SimProcess sim = null;
        OtpCredential credential = null;
        try {
            out().println("otptoken demo: a simulated token, a QR code, the serial line and the button, in five steps.");
            sim = SimProcess.start(simCommand, dir.resolve("token.log"));
            out().println("1. Started a simulated token in its own process. It appeared as the serial port "
                    + sim.port + ",");
            out().println("   the way a USB token appears as /dev/ttyACM0.");

            Path png = dir.resolve("new-account.png");
            QrEncoder.encodePng(freshUri(), png, MODULE_SIZE);
            credential = decodeSingle(png);
            out().println("2. Made a QR code for a new account with a fresh random secret, as a website shows it,");
            out().println("   and read it back: " + CredentialText.describe(credential));

            out().println("3. Provisioned it over the serial line (the same code as 'otptoken provision'):");
            int status = provision(sim.port, png);
            if (status != ExitStatus.OK) {
                return status;
            }

            waitForFreshStep();
            Instant at = now();
            OtpCredential c = credential;
            String onHost = c.secret().use(k -> Totp.code(c.algorithm(), k, at, c.period(), c.digits()));
            String onToken = tokenCode(sim.port, c, at);
            Instant stepStart = Totp.stepStart(Totp.timeStep(at, c.period()), c.period());
            out().println("4. Codes for the time step " + HHMMSS.format(stepStart) + "-"
                    + HHMMSS.format(stepStart.plusSeconds(c.period())) + " UTC:");
            out().println("   host   " + onHost + "   computed here from the secret in the QR code");
            out().println("   token  " + onToken + "   computed by the token, asked over the serial line");

            String[] display = sim.press();
            String left = display[1].endsWith("s") ? display[1].substring(0, display[1].length() - 1) : display[1];
            out().println("5. Pressed the token's button. Its display shows " + display[0] + " (valid for " + left
                    + " s more).");
            if (!onHost.equals(onToken) || !onHost.equals(display[0])) {
                throw new IOException("token and host DISAGREE: host " + onHost + ", token " + onToken
                        + ", display " + display[0]);
            }
            out().println("=> Token and host agree.");
        } finally {
            if (credential != null) {
                credential.destroy();
            }
            if (sim != null) {
                sim.stop();
            }
            deleteTree(dir);
        }
        out().println("Cleaned up: the simulated token is stopped and the QR image deleted. The secret was never"
                + " printed or saved.");
        out().println("Next: bin/otptoken-sim (a token with a face), then 'bin/otptoken --port /dev/pts/N provision"
                + " IMAGE'.");
        return ExitStatus.OK;
    }

    /**
     * A new TOTP account as a site's QR code holds it. The URI counts as a secret: it lives only
     * in this string and in the temporary image.
     */
    private static String freshUri() {
        byte[] key = new byte[SECRET_BYTES];
        try {
            new SecureRandom().nextBytes(key);
            return "otpauth://totp/" + ISSUER + ":" + ACCOUNT + "?secret=" + Base32.encode(key) + "&issuer=" + ISSUER
                    + "&algorithm=" + HashAlgorithm.SHA1 + "&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
        } finally {
            SecretBytes.wipe(key);
        }
    }

    private static OtpCredential decodeSingle(Path png) throws Exception {
        List<QrText> texts = QrDecoder.decode(png);
        if (texts.size() != 1) {
            throw new BadInputException(png + ": expected one QR code, found " + texts.size());
        }
        OtpInput parsed = Provisioner.parse(texts.get(0).text(), png);
        List<OtpCredential> credentials = parsed.credentials();
        if (credentials.size() != 1 || credentials.get(0).type() != OathType.TOTP) {
            parsed.destroy();
            throw new BadInputException(png + ": expected one TOTP account");
        }
        return credentials.get(0);
    }

    /**
     * Runs {@code otptoken --port PORT provision IMAGE} in this process, so the demo proves the
     * real provisioning path; its warning about backups does not apply to a throw-away token.
     */
    private int provision(String port, Path png) {
        List<String> args = new ArrayList<>(List.of("--port", port));
        if (root().verbosity() > 0) {
            args.add("-" + "v".repeat(root().verbosity()));
        }
        args.addAll(List.of("provision", png.toString()));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        HostMain.Env env = root().env;
        try (PrintStream o = new PrintStream(captured, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(capturedErr, true, StandardCharsets.UTF_8)) {
            int status = HostMain.run(args.toArray(String[]::new), new HostMain.Env(o, e, env.in(), env.clock(),
                    env.environment(), env.console(), env.opener()));
            for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out().println("   " + line);
                }
            }
            if (status != ExitStatus.OK) {
                err().print(capturedErr.toString(StandardCharsets.UTF_8));
            }
            return status;
        }
    }

    /** Waits into a new time step when the current one is nearly over (at most MIN_SECONDS_LEFT seconds). */
    private void waitForFreshStep() throws InterruptedException {
        int left = Totp.secondsRemaining(now(), PERIOD_SECONDS);
        if (left < MIN_SECONDS_LEFT) {
            out().println("   (waiting " + left + " s for the next 30-second step, so that all codes share one step)");
            Instant next = Totp.stepStart(Totp.timeStep(now(), PERIOD_SECONDS) + 1, PERIOD_SECONDS);
            Duration wait = Duration.between(now(), next);
            if (!wait.isNegative()) {
                Thread.sleep(wait.toMillis() + 1);
            }
        }
    }

    /** The token's code for the host's time step, over the serial line (no password: the token is new). */
    private String tokenCode(String port, OtpCredential c, Instant at) throws Exception {
        try (Token token = Token.open(new TokenAddress.SerialPort(port), root().env.opener())) {
            OathSession oath = token.oath(passwords(false));
            return oath.calculate(c.name().encode(c.type()), Totp.challenge(at, c.period())).value();
        }
    }

    /** {@code otptoken.home}, else the repository the running jar (or classes folder) was built in. */
    static Path home() throws IOException {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            // <home>/host-cli/target/otptoken.jar or <home>/host-cli/target/classes
            Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                return target.getParent().getParent();
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            Logger.debug("cannot locate the running jar: {}", e.getMessage());
        }
        throw new IOException("no simulated token: cannot tell where otptoken is installed (run bin/otptoken demo,"
                + " or set -D" + HOME_PROPERTY + "=REPOSITORY)");
    }

    /** The launcher when it is there (it builds on first use), else the simulator's jar. */
    static List<String> simulatorCommand(Path home) throws IOException {
        Path launcher = home.resolve(SIM_LAUNCHER);
        if (Files.isExecutable(launcher)) {
            return List.of(launcher.toString(), "--pty", "--headless");
        }
        Path jar = home.resolve(SIM_JAR);
        if (Files.isRegularFile(jar)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return List.of(java, "-jar", jar.toString(), "--pty", "--headless");
        }
        throw new IOException("no simulated token: neither " + launcher + " nor " + jar + " exists");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            Logger.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    /** The simulator process: its standard output read line by line, its standard input for the button. */
    static final class SimProcess {
        /** Marks the end of the simulator's standard output in the line queue. */
        private static final String EOF = new String("end of output");

        final Process process;
        final String port;
        private final BlockingQueue<String> lines;
        private final Path log;
        private final Thread killer;

        private SimProcess(Process process, String port, BlockingQueue<String> lines, Path log, Thread killer) {
            this.process = process;
            this.port = port;
            this.lines = lines;
            this.log = log;
            this.killer = killer;
        }

        static SimProcess start(List<String> command, Path log) throws IOException, InterruptedException {
            Logger.info("starting {}", String.join(" ", command));
            Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            // a killed demo must not leave a token behind (its stdin closing does not stop it)
            Thread killer = new Thread(p::destroy, "otptoken-demo-stop-token");
            Runtime.getRuntime().addShutdownHook(killer);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException closed) {
                    Logger.debug("simulator output closed: {}", closed.getMessage());
                } finally {
                    lines.add(EOF);
                }
            }, "otptoken-demo-token-output");
            reader.setDaemon(true);
            reader.start();
            SimProcess sim = null;
            try {
                String line = next(lines, START_TIMEOUT);
                if (line == null || line == EOF || !line.startsWith(ATTACHED)) {
                    throw new IOException("no token: the simulated token did not start" + lastLine(log, line));
                }
                sim = new SimProcess(p, line.substring(ATTACHED.length()).trim(), lines, log, killer);
                Logger.info("simulated token attached at {}", sim.port);
                return sim;
            } finally {
                if (sim == null) {
                    p.destroyForcibly();
                    Runtime.getRuntime().removeShutdownHook(killer);
                }
            }
        }

        private static String next(BlockingQueue<String> lines, Duration timeout) throws InterruptedException {
            return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private static String lastLine(Path log, String line) {
            try {
                List<String> logged = Files.readAllLines(log, StandardCharsets.UTF_8);
                if (!logged.isEmpty()) {
                    return ": " + logged.get(logged.size() - 1);
                }
            } catch (IOException e) {
                Logger.debug("no simulator log: {}", e.getMessage());
            }
            return line == null ? ": no answer within " + START_TIMEOUT.toSeconds() + " s" : "";
        }

        /** Presses the button; returns the code and its remaining time from the first display line. */
        String[] press() throws IOException, InterruptedException {
            lines.clear();
            command("press");
            long deadline = System.nanoTime() + DISPLAY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line == EOF) {
                    break;
                }
                if (line.startsWith(DISPLAY) && !line.equals(DISPLAY_OFF)) {
                    String[] parts = line.substring(DISPLAY.length()).trim().split(" ");
                    if (parts.length == 2) {
                        return parts;
                    }
                }
            }
            throw new IOException("the simulated token showed no code within " + DISPLAY_TIMEOUT.toSeconds()
                    + " s of the press" + lastLine(log, ""));
        }

        private void command(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((text + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }

        /** {@code quit}, then bounded waits: a polite destroy, then a forced one. */
        void stop() throws InterruptedException {
            try {
                command("quit");
                process.getOutputStream().close();
            } catch (IOException gone) {
                Logger.debug("simulator already gone: {}", gone.getMessage());
            }
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                Logger.debug("shutting down: the hook stops the token");
            }
        }
    }
}
