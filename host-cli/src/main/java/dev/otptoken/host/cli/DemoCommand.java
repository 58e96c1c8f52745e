package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.provision.ProvisionBatch;
import dev.otptoken.host.provision.ProvisionInputException;
import dev.otptoken.host.provision.ProvisionListener;
import dev.otptoken.host.provision.ProvisionStop;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.provision.TokenReport;
import dev.otptoken.host.qr.QrEncoder;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.host.simulator.SimulatorProcess;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.io.IOException;
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
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The whole life of an account in one command, for a newcomer: a simulated token in its own
 * process on a pseudo-terminal (host code never imports the firmware), a QR code as a site
 * would show it, provisioning through the same {@link Provisioner} as {@code provision}, and
 * three codes for one time step (host, token over the serial line, token display after a
 * button press) that must agree. The secret is random, used once, never printed and never stored.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a simulated token, make a QR code, provision it over the serial line,"
                + " press the button, and show that token and host agree.",
        footer = {"", "Example:", "  otptoken demo      no token or options needed",
            "", "Exit status: 0 token and host agree; 2 usage error; 4 no simulator found or started, the serial line failed,"
                    + " or the codes disagree; a provisioning failure keeps provision's status (3, 5)."})
final class DemoCommand extends TokenCommand {
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
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws IOException, InterruptedException, QrException, ProvisionInputException,
            ApduException, WrongPasswordException, BadInputException, UsageException {
        if (root().port != null || root().reader != null) {
            // it would be ignored: the demo makes and uses its own token, never the user's
            throw new UsageException("demo starts its own simulated token: --port and --reader do not apply");
        }
        Path home = SimulatorProcess.home();
        List<String> simCommand = SimulatorProcess.command(home);
        Path dir = Files.createTempDirectory("otptoken-demo-");
        // Ctrl-C or a kill in the middle deletes it too (the JVM runs its shutdown hooks then): the
        // image holds the account's secret
        Thread cleanup = new Thread(() -> deleteTree(dir), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        SimulatorProcess sim = null;
        ProvisionBatch batch = null;
        try {
            out().println("otptoken demo: a simulated token, a QR code, the serial line and the button, in five steps.");
            sim = SimulatorProcess.start(simCommand, dir.resolve("token.log"));
            out().println("1. Started a simulated token in its own process. It appeared as the serial port "
                    + sim.port() + ",");
            out().println("   the way a USB token appears as /dev/ttyACM0.");

            Path png = dir.resolve("new-account.png");
            QrEncoder.encodePng(freshUri(), png, MODULE_SIZE);
            Shown shown = new Shown();
            Provisioner provisioner = new Provisioner(root().env.opener(), clock(), passwords(false), shown);
            batch = provisioner.decodeImages(List.of(png));
            // read back: the secret is in memory now, and the image is needed no longer
            Files.delete(png);
            OtpCredential c = single(batch, png);
            out().println("2. Made a QR code for a new account with a fresh random secret, as a website shows it,");
            out().println("   and read it back: " + CredentialText.describe(c));

            out().println("3. Provisioned it over the serial line (the same code as 'otptoken provision'):");
            TokenAddress port = new TokenAddress.SerialPort(sim.port());
            // provision's own warning about backups does not apply to a throw-away token: like
            // everything provision says on standard error, it is shown only when provisioning fails
            shown.toldOnFailure(ProvisionText.NO_BACKUP);
            try {
                provisioner.provision(batch, List.of(port), new Provisioner.Options(false, false));
            } catch (Exception failed) {
                shown.failed();
                throw failed;
            }

            waitForFreshStep();
            Instant at = now();
            String onHost = c.secret().use(k -> Totp.code(c.algorithm(), k, at, c.period(), c.digits()));
            String onToken = tokenCode(port, c, at);
            Instant stepStart = Totp.stepStart(Totp.timeStep(at, c.period()), c.period());
            out().println("4. Codes for the time step " + HHMMSS.format(stepStart) + "-"
                    + HHMMSS.format(stepStart.plusSeconds(c.period())) + " UTC:");
            out().println("   host   " + onHost + "   computed here from the secret in the QR code");
            out().println("   token  " + onToken + "   computed by the token, asked over the serial line");

            SimulatorProcess.Display display = sim.press();
            String left = display.remaining().endsWith("s")
                    ? display.remaining().substring(0, display.remaining().length() - 1) : display.remaining();
            out().println("5. Pressed the token's button. Its display shows " + display.code() + " (valid for " + left
                    + " s more).");
            if (!onHost.equals(onToken) || !onHost.equals(display.code())) {
                throw new IOException("token and host DISAGREE: host " + onHost + ", token " + onToken
                        + ", display " + display.code());
            }
            out().println("=> Token and host agree.");
        } finally {
            if (batch != null) {
                batch.close();
            }
            if (sim != null) {
                sim.stop();
            }
            deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        out().println("Cleaned up: the simulated token is stopped and the QR image deleted. The secret was never"
                + " printed or saved.");
        String bin = SimulatorProcess.commandPrefix(home);
        out().println("Next: " + bin + "otptoken-sim (a token with a face), then '" + bin
                + "otptoken --port /dev/pts/N provision IMAGE'.");
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

    /** The one TOTP account of the one QR code in {@code png}. */
    private static OtpCredential single(ProvisionBatch batch, Path png) throws BadInputException {
        if (batch.inputs().size() != 1) {
            throw new BadInputException(png + ": expected one QR code, found " + batch.inputs().size());
        }
        List<OtpCredential> credentials = batch.credentials();
        if (credentials.size() != 1 || credentials.get(0).type() != OathType.TOTP) {
            throw new BadInputException(png + ": expected one TOTP account");
        }
        return credentials.get(0);
    }

    /**
     * Provisioning as the demo shows it: each token's report indented under step 3, and what
     * {@code provision} would say on standard error held back, then shown only if it fails.
     */
    private final class Shown implements ProvisionListener {
        private final List<String> held = new ArrayList<>();

        void toldOnFailure(String line) {
            held.add(line);
        }

        /** Provisioning failed: what was held back, in order; the failure itself follows from the caller. */
        void failed() {
            held.forEach(err()::println);
            held.clear();
        }

        @Override
        public void migrationBatch(Optional<Path> image, MigrationBatch batch) {
            held.add(ProvisionText.migration(image, batch));
        }

        @Override
        public void incompleteExport(MigrationBatch.Incomplete export) {
            held.add(ProvisionText.incomplete(export));
        }

        @Override
        public void touchToProve(TokenAddress token, String account) {
            held.add(ProvisionText.touch(token, account));
        }

        @Override
        public void tokenDone(TokenReport report) {
            out().println("   " + ProvisionText.summary(report));
        }

        @Override
        public void stopped(ProvisionStop stop) {
            held.addAll(ProvisionText.stopped(stop));
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
    private String tokenCode(TokenAddress port, OtpCredential c, Instant at)
            throws IOException, ApduException, WrongPasswordException {
        try (Token token = Token.open(port, root().env.opener())) {
            OathSession oath = token.oath(passwords(false));
            return oath.calculate(c.name().encode(c.type()), Totp.challenge(at, c.period())).value();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the shutdown hook and the normal end may both be deleting it: one of them finishes
            Log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
