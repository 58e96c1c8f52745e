package dev.otptoken.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Launchers;
import dev.otptoken.host.it.Commands.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One conformance run per model of {@code bin/otptoken-sim --model M} through the tests' own
 * pcscd and vsmartcard-vpcd, with unmodified ykman: {@code info}, {@code oath info}, accounts
 * added (TOTP with every hash, HOTP, touch), listed, computed (codes checked against oathtool),
 * renamed and deleted, a touch given with the button, {@code oath access change}, {@code oath
 * reset}, and the model's capacity filled exactly, the next account refused. ykman decides from
 * the management application and the OATH version what it offers; the YubiKey models must be
 * told apart from a real YubiKey 5 NFC by nothing ykman shows.
 */
class ModelsYkmanIT {
    private static final String SEED_SHA1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String SEED_SHA256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    private static final String SEED_SHA512 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final long SERIAL = 23_456_789L;
    private static final long TOUCH_WAIT_MILLIS = 20_000;

    @TempDir
    Path dir;

    private ModelSim sim;

    @BeforeEach
    void tools() throws Exception {
        Commands.requireReader();
        Commands.requireTool("oathtool");
    }

    @AfterEach
    void stopToken() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "otptoken,          5.7.0, 152",
        "yubikey-5-nfc,     5.4.3, 32",
        "yubikey-5-nfc-5.7, 5.7.1, 64",
    })
    void ykmanDrivesTheModel(String model, String version, int capacity) throws Exception {
        sim = ModelSim.start(model, dir.resolve(model + ".state"));
        info(model, version);
        host(model, version, capacity);
        assertThat(Commands.ykmanOk("oath", "info")).containsExactly("OATH version: " + version,
                "Password protection: disabled");
        accounts();
        touch();
        password();
        fill(capacity);
    }

    /** {@code ykman info}: the YubiKey models as a YubiKey 5 NFC with OATH enabled over NFC. */
    private static void info(String model, String version) throws Exception {
        List<String> info = Commands.ykmanOk("info");
        if (model.equals("otptoken")) {
            // No management application: ykman guesses a NEO from what the other SELECTs find.
            assertThat(info).contains("Device type: YubiKey NEO", "Firmware version: 3.0.0",
                    "NFC transport is enabled.").noneMatch(l -> l.startsWith("Serial number"));
            assertThat(row(info, "OATH")).containsExactly("OATH", "Disabled", "Enabled");
            return;
        }
        assertThat(info.subList(0, 5)).containsExactly("Device type: YubiKey 5 NFC", "Serial number: " + SERIAL,
                "Firmware version: " + version, "Form factor: Keychain (USB-A)", "NFC transport is enabled.");
        assertThat(row(info, "OATH")).containsExactly("OATH", "Enabled", "Enabled");
        for (String app : new String[] {"OTP", "FIDO U2F", "FIDO2", "PIV", "OpenPGP", "YubiHSM Auth"}) {
            assertThat(row(info, app)).as(app).containsExactly(app, "Disabled", "Disabled");
        }
    }

    /**
     * The project's own host over {@code --reader}: {@code info} names the model (from the
     * device applet, or from a YubiKey's management application, with the capacity its firmware
     * has), and provision (with its capacity check), code, list and delete work on every model.
     */
    private static void host(String model, String version, int capacity) throws Exception {
        List<String> info = Commands.hostOk("--reader", Commands.READER, "info");
        if (model.equals("otptoken")) {
            assertThat(info).contains("accounts  0 of " + capacity, "model     otptoken")
                    .anySatisfy(l -> assertThat(l).startsWith("firmware  ").endsWith(" (OATH " + version + ")"));
        } else {
            assertThat(info).containsExactly("serial    " + SERIAL, "firmware  " + version + " (OATH " + version + ")",
                    "accounts  0 of " + capacity, "oath      enabled over usb and nfc", "model     YubiKey 5 NFC");
        }
        String uri = "otpauth://totp/Host:carol?secret=" + SEED_SHA1 + "&issuer=Host";
        Commands.hostOk("--reader", Commands.READER, "provision", "--uri", uri);
        assertThat(Commands.hostOk("--reader", Commands.READER, "list")).anySatisfy(
                l -> assertThat(l).contains("Host:carol"));
        for (int attempt = 0; ; attempt++) {
            long step = Instant.now().getEpochSecond() / 30;
            List<String> lines = Commands.hostOk("--reader", Commands.READER, "code", "Host:carol");
            if (Instant.now().getEpochSecond() / 30 != step && attempt == 0) {
                continue;
            }
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("Host:carol")
                    .contains(uncheckedTotp(SEED_SHA1, step)));
            break;
        }
        Commands.hostOk("--reader", Commands.READER, "delete", "Host:carol");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).isEmpty();
    }

    private static String uncheckedTotp(String secret, long step) {
        try {
            return Commands.totp(secret, "SHA1", 6, 30, step);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cells of the application table's row of {@code app}. */
    private static List<String> row(List<String> info, String app) {
        for (String l : info) {
            String[] cells = l.split("\t");
            if (cells[0].strip().equals(app)) {
                return List.of(cells).stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
            }
        }
        throw new AssertionError(app + " not in " + info);
    }

    /** Runs {@code command} until it ran within one time step; then checks {@code id}'s code against oathtool. */
    private static void assertTotp(Callable<List<String>> command, String id, String secret, String alg, int digits,
                                   int period) throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = Instant.now().getEpochSecond() / period;
            List<String> lines = command.call();
            if (Instant.now().getEpochSecond() / period != before) {
                continue;
            }
            assertThat(Commands.codes(lines)).containsEntry(id, Commands.totp(secret, alg, digits, period, before));
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    private static void accounts() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "sha1", SEED_SHA1);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-a", "SHA256", "-d", "8", "-i", "Example", "sha256",
                SEED_SHA256);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-a", "SHA512", "-d", "8", "-P", "60", "-i", "Example",
                "sha512", SEED_SHA512);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-o", "HOTP", "-i", "Example", "hotp", SEED_SHA1);
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactly("Example:hotp", "Example:sha1",
                "Example:sha256", "60/Example:sha512");
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code"), "Example:sha1", SEED_SHA1, "SHA1", 6, 30);
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code"), "Example:sha256", SEED_SHA256, "SHA256", 8, 30);
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "sha512"), "60/Example:sha512", SEED_SHA512,
                "SHA512", 8, 60);
        for (long counter = 0; counter < 2; counter++) {
            assertThat(Commands.codes(Commands.ykmanOk("oath", "accounts", "code", "hotp")))
                    .containsExactly(Map.entry("Example:hotp", Commands.hotp(SEED_SHA1, "SHA1", 6, counter)));
        }
        Commands.ykmanOk("oath", "accounts", "rename", "-f", "Example:sha256", "Other:renamed");
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "renamed"), "Other:renamed", SEED_SHA256,
                "SHA256", 8, 30);
        Commands.ykmanOk("oath", "accounts", "delete", "-f", "Other:renamed");
        Commands.ykmanOk("oath", "accounts", "delete", "-f", "Example:hotp");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactly("Example:sha1", "60/Example:sha512");
    }

    /** A touch account: ykman waits, the button (headless {@code press}) releases it. */
    private void touch() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-t", "-i", "Example", "touch", SEED_SHA1);
        assertThat(Commands.ykmanOk("oath", "accounts", "code")).anySatisfy(
                l -> assertThat(l).startsWith("Example:touch ").endsWith(" [Requires Touch]"));
        for (int attempt = 0; attempt < 2; attempt++) {
            sim.clearLines();
            Path out = dir.resolve("touch-" + attempt + ".txt");
            long before = Instant.now().getEpochSecond() / 30;
            Process ykman = new ProcessBuilder("ykman", "--reader", Commands.READER, "oath", "accounts", "code",
                    "touch").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                ykman.getOutputStream().close();
                assertThat(sim.awaitLine("touch: waiting", TOUCH_WAIT_MILLIS)).as("token waits for touch").isTrue();
                assertThat(ykman.isAlive()).as("ykman waits for the button").isTrue();
                sim.command("press");
                assertThat(ykman.waitFor(TOUCH_WAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
                assertThat(ykman.exitValue()).isZero();
            } finally {
                Commands.stop(ykman);
            }
            if (Instant.now().getEpochSecond() / 30 != before) {
                continue;
            }
            assertThat(Commands.codes(Files.readAllLines(out, StandardCharsets.UTF_8))).containsExactly(
                    Map.entry("Example:touch", Commands.totp(SEED_SHA1, "SHA1", 6, 30, before)));
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    /** {@code oath access change}: locked without the password, open with it; {@code oath reset} clears both. */
    private static void password() throws Exception {
        Commands.ykmanOk("oath", "access", "change", "-n", "s3cret");
        assertThat(Commands.ykmanOk("oath", "info")).contains("Password protection: enabled");
        Result locked = Commands.ykman("oath", "accounts", "list");
        assertThat(locked.status()).isNotZero();
        assertThat(locked.out()).doesNotContain("Example");
        assertThat(Commands.ykman("oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "s3cret")).containsExactly("Example:sha1",
                "60/Example:sha512", "Example:touch");
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "-p", "s3cret", "sha1"), "Example:sha1",
                SEED_SHA1, "SHA1", 6, 30);
        Commands.ykmanOk("oath", "reset", "-f");
        assertThat(Commands.ykmanOk("oath", "info")).contains("Password protection: disabled");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).isEmpty();
    }

    private static String secret(int i) {
        return SEED_SHA1.substring(0, SEED_SHA1.length() - 2) + BASE32.charAt(i % 32) + BASE32.charAt(i / 32 % 32);
    }

    /** Exactly {@code capacity} accounts fit; ykman's next one is refused (6A84), and all of them compute. */
    private static void fill(int capacity) throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < capacity; i++) {
            String name = String.format(Locale.ROOT, "user%03d@example.com", i);
            Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Issuer", name, secret(i));
            secrets.put("Issuer:" + name, secret(i));
        }
        Result full = Commands.ykman("oath", "accounts", "add", "-f", "-i", "Issuer", "one-too-many", SEED_SHA1);
        assertThat(full.status()).isNotZero();
        assertThat(full.err()).contains("No space left on the YubiKey for OATH accounts.");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).hasSize(capacity)
                .containsExactlyInAnyOrderElementsOf(secrets.keySet());
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = Instant.now().getEpochSecond() / 30;
            Map<String, String> got = Commands.codes(Commands.ykmanOk("oath", "accounts", "code"));
            if (Instant.now().getEpochSecond() / 30 != before) {
                continue;
            }
            assertThat(got).hasSize(capacity);
            for (String id : List.of("Issuer:user000@example.com",
                    String.format(Locale.ROOT, "Issuer:user%03d@example.com", capacity - 1))) {
                assertThat(got).containsEntry(id, Commands.totp(secrets.get(id), "SHA1", 6, 30, before));
            }
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    /**
     * {@code bin/otptoken-sim --model M --headless --pty --vpcd ADDRESS --state S} as a user
     * starts it, holding reader {@value Commands#READER} of the tests' own PC/SC stack.
     */
    static final class ModelSim implements AutoCloseable {
        private static final int CARD_WAIT_ATTEMPTS = 60;
        private static final long CARD_WAIT_PAUSE_MILLIS = 250;
        private static final long QUIT_WAIT_SECONDS = 10;

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private ModelSim(Process process) {
            this.process = process;
        }

        static ModelSim start(String model, Path state) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Launchers.sim().toString(), "--model", model, "--serial",
                    Long.toString(SERIAL), "--headless", "--pty", "--vpcd", Commands.requireReader().vpcdAddress(),
                    "--state", state.toString()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String first = out.readLine();
                assertThat(first).as("simulator's first line").isNotNull().startsWith("attached: ");
                ModelSim sim = new ModelSim(p);
                Thread drain = new Thread(() -> sim.drain(out), "model-sim-stdout");
                drain.setDaemon(true);
                drain.start();
                sim.awaitCard();
                return sim;
            } catch (Exception | AssertionError e) {
                Commands.stop(p);
                throw e;
            }
        }

        private void drain(BufferedReader out) {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    lines.add(l);
                }
            } catch (IOException closed) {
                // The simulator stopped.
            }
        }

        private void awaitCard() throws Exception {
            Result last = null;
            for (int i = 0; i < CARD_WAIT_ATTEMPTS; i++) {
                assertThat(process.isAlive()).as("simulator running").isTrue();
                last = Commands.ykman("oath", "info");
                if (last.status() == 0) {
                    return;
                }
                Thread.sleep(CARD_WAIT_PAUSE_MILLIS);
            }
            throw new AssertionError("ykman never saw the card in " + Commands.READER + ": " + last.err());
        }

        void clearLines() {
            lines.clear();
        }

        boolean awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
            return nextLine(prefix, timeoutMillis) != null;
        }

        /** The next line of standard output starting with {@code prefix}, or null when none came in time. */
        String nextLine(String prefix, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null || l.startsWith(prefix)) {
                    return l;
                }
            }
        }

        /** One line of the headless protocol ({@code press}, {@code status}, ...). */
        void command(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        }

        @Override
        public void close() throws InterruptedException {
            try {
                command("quit");
            } catch (IOException gone) {
                // Already stopped.
            }
            if (!process.waitFor(QUIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                Commands.stop(process);
            }
        }
    }
}
