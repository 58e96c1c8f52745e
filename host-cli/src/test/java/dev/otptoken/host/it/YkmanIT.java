package dev.otptoken.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.oath.AccountStore;
import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.host.it.Commands.Result;
import dev.otptoken.protocol.oath.Oath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unmodified ykman (Debian yubikey-manager) against the simulated token through pcscd and
 * vsmartcard-vpcd, codes checked against oathtool; the same accounts seen over the serial
 * line by the host CLI, and the host CLI over PC/SC. One simulator per test, one test at a
 * time: only one card can sit in reader {@value Commands#READER}.
 */
class YkmanIT {
    /** RFC 6238 Appendix B seeds: 20, 32 and 64 bytes, one per hash. */
    private static final String SEED_SHA1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String SEED_SHA256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    private static final String SEED_SHA512 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** ykman's default period; other periods show as {@code PERIOD/} in the credential id. */
    private static final int DEFAULT_PERIOD = 30;
    /** Enough accounts that CALCULATE ALL's reply exceeds one short APDU and chains through 61xx. */
    private static final int MANY_ACCOUNTS = 32;
    private static final int SHORT_RESPONSE_MAX = 256;
    private static final long TOUCH_WAIT_MILLIS = 20_000;
    /** How long the simulator may take to answer {@code status}. */
    private static final long STATUS_WAIT_MILLIS = 10_000;

    @TempDir
    Path dir;

    private VpcdSim sim;

    @BeforeEach
    void startToken() throws Exception {
        Commands.requireReader();
        Commands.requireTool("oathtool");
        sim = VpcdSim.start(null);
    }

    @AfterEach
    void stopToken() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    private static String seed(String alg) {
        return switch (alg.toUpperCase(Locale.ROOT)) {
            case "SHA1" -> SEED_SHA1;
            case "SHA256" -> SEED_SHA256;
            case "SHA512" -> SEED_SHA512;
            default -> throw new IllegalArgumentException(alg);
        };
    }

    private static String credentialId(String issuer, String name, int period) {
        return (period == DEFAULT_PERIOD ? "" : period + "/") + issuer + ":" + name;
    }

    /**
     * Runs {@code command} and checks the code it prints for {@code id} against oathtool at the
     * same time step; retries once when the step changed during the command.
     */
    private static void assertTotp(Callable<List<String>> command, String id, String secret, String alg, int digits,
                                   int period) throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = Instant.now().getEpochSecond() / period;
            List<String> lines = command.call();
            long after = Instant.now().getEpochSecond() / period;
            if (before != after) {
                continue;
            }
            assertThat(Commands.codes(lines)).containsEntry(id, Commands.totp(secret, alg, digits, period, before));
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    @Test
    void infoShowsAVersionThatEnablesTouchSha512AndRename() throws Exception {
        String version = String.format(Locale.ROOT, "%d.%d.%d", Oath.VERSION_MAJOR, Oath.VERSION_MINOR,
                Oath.VERSION_PATCH);
        assertThat(Commands.ykmanOk("oath", "info"))
                .contains("OATH version: " + version, "Password protection: disabled");
        // ykman gates touch on 4.2.6, SHA-512 on 4.3.1 and rename on 5.3.1.
        assertThat(Oath.VERSION_MAJOR * 100 + Oath.VERSION_MINOR * 10 + Oath.VERSION_PATCH).isGreaterThanOrEqualTo(531);
    }

    @ParameterizedTest(name = "TOTP {0} {1} digits {2} s")
    @CsvSource({
        "SHA1,   6, 30",
        "SHA256, 8, 30",
        "SHA512, 8, 60",
        "SHA1,   8, 60",
        "SHA256, 6, 60",
        "SHA512, 6, 30",
    })
    void totpAddedByYkmanGivesOathtoolCodes(String alg, int digits, int period) throws Exception {
        String name = "alice-" + alg.toLowerCase(Locale.ROOT) + "-" + digits + "-" + period;
        String secret = seed(alg);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-o", "TOTP", "-a", alg, "-d", Integer.toString(digits),
                "-P", Integer.toString(period), "-i", "Example", name, secret);
        String id = credentialId("Example", name, period);
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactly(id);
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", name), id, secret, alg, digits, period);
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code"), id, secret, alg, digits, period);
    }

    @ParameterizedTest(name = "HOTP {0} {1} digits")
    @CsvSource({
        "SHA1,   6",
        "SHA256, 8",
        "SHA512, 6",
        "SHA1,   8",
    })
    void hotpAddedByYkmanCountsLikeOathtool(String alg, int digits) throws Exception {
        String secret = seed(alg);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-o", "HOTP", "-a", alg, "-d", Integer.toString(digits),
                "-i", "Example", "bob", secret);
        // With one account, ykman's plain "code" computes it too (one match): counter 0.
        assertThat(Commands.codes(Commands.ykmanOk("oath", "accounts", "code")))
                .containsExactly(Map.entry("Example:bob", Commands.hotp(secret, alg, digits, 0)));
        for (long counter = 1; counter < 3; counter++) {
            assertThat(Commands.codes(Commands.ykmanOk("oath", "accounts", "code", "bob")))
                    .containsExactly(Map.entry("Example:bob", Commands.hotp(secret, alg, digits, counter)));
        }
        if ("SHA1".equals(alg)) {
            // The HOTP-as-TOTP identity, checked once against oathtool's own --hotp.
            assertThat(Commands.hotp(secret, alg, digits, 2))
                    .isEqualTo(Commands.oathtool("--hotp", "-d", Integer.toString(digits), "-c", "2", "-b", secret));
        }
    }

    @Test
    void touchAccountWaitsForTheButton() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-t", "-i", "Example", "carol", SEED_SHA1);
        // A second account, so that plain "code" lists carol instead of computing it (one match).
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "dan", SEED_SHA256);
        assertThat(Commands.ykmanOk("oath", "accounts", "code")).anySatisfy(
                l -> assertThat(l).startsWith("Example:carol ").endsWith(" [Requires Touch]"));
        // Everything the token printed while ykman listed comes before the answer to "status".
        assertThat(sim.linesBeforeStatus(STATUS_WAIT_MILLIS)).as("listing asks for no touch")
                .noneMatch(l -> l.startsWith(VpcdSim.TOUCH_WAITING));
        for (int attempt = 0; attempt < 2; attempt++) {
            sim.clearLines();
            Path out = dir.resolve("touch-" + attempt + ".txt");
            long before = Instant.now().getEpochSecond() / DEFAULT_PERIOD;
            Process ykman = new ProcessBuilder("ykman", "--reader", Commands.READER, "oath", "accounts", "code",
                    "carol").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                ykman.getOutputStream().close();
                assertThat(sim.awaitLine(VpcdSim.TOUCH_WAITING, TOUCH_WAIT_MILLIS)).as("token waits for touch").isTrue();
                assertThat(ykman.isAlive()).as("ykman waits for the button").isTrue();
                sim.press();
                assertThat(ykman.waitFor(TOUCH_WAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
                assertThat(ykman.exitValue()).isZero();
            } finally {
                Commands.stop(ykman);
            }
            long after = Instant.now().getEpochSecond() / DEFAULT_PERIOD;
            if (before != after) {
                continue;
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(Commands.codes(lines)).containsExactly(
                    Map.entry("Example:carol", Commands.totp(SEED_SHA1, "SHA1", 6, DEFAULT_PERIOD, before)));
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    /** A distinct 20-byte key per account: the seed with its last two Base32 digits varied. */
    private static String manySecret(int i) {
        return SEED_SHA1.substring(0, SEED_SHA1.length() - 2) + BASE32_ALPHABET.charAt(i % 32)
                + BASE32_ALPHABET.charAt(i / 32 % 32);
    }

    private static String manyName(int i) {
        return "account-number-" + i + "@example.com";
    }

    @Test
    void thirtyTwoAccountsChainThrough61xx() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        int replyBytes = 0;
        for (int i = 0; i < MANY_ACCOUNTS; i++) {
            String issuer = "Issuer" + i;
            Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", issuer, manyName(i), manySecret(i));
            String id = issuer + ":" + manyName(i);
            secrets.put(id, manySecret(i));
            // 71 len name, 76 05 digits code: one CALCULATE ALL entry.
            replyBytes += 2 + id.length() + 2 + 5;
        }
        assertThat(replyBytes).as("CALCULATE ALL reply must need chaining").isGreaterThan(4 * SHORT_RESPONSE_MAX);
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactlyInAnyOrderElementsOf(secrets.keySet());
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = Instant.now().getEpochSecond() / DEFAULT_PERIOD;
            Map<String, String> got = Commands.codes(Commands.ykmanOk("oath", "accounts", "code"));
            long after = Instant.now().getEpochSecond() / DEFAULT_PERIOD;
            if (before != after) {
                continue;
            }
            Map<String, String> expected = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : secrets.entrySet()) {
                expected.put(e.getKey(), Commands.totp(e.getValue(), "SHA1", 6, DEFAULT_PERIOD, before));
            }
            assertThat(got).containsExactlyInAnyOrderEntriesOf(expected);
            // The host joins the same chained reply over PC/SC and over the serial line.
            assertThat(Commands.codes(Commands.hostOk("--reader", Commands.READER, "code")))
                    .containsOnlyKeys(secrets.keySet());
            assertThat(Commands.hostOk("--port", sim.port(), "list")).hasSize(MANY_ACCOUNTS);
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    /**
     * With no --port, --reader or $OTPTOKEN_PORT the host finds the one token present (here the
     * card in the vpcd reader; the simulator's pseudo-terminal is not scanned) and uses it.
     */
    @Test
    void theOnlyTokenPresentIsUsedWhenNoneIsNamed() throws Exception {
        String secret = seed("SHA256");
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-o", "TOTP", "-a", "SHA256", "-i", "Example", "solo", secret);
        assertTotp(() -> {
            Result r = Commands.host(null, "-v", "code", "solo");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err()).contains("using the only token found: " + Commands.READER);
            return r.outLines();
        }, "Example:solo", secret, "SHA256", 6, DEFAULT_PERIOD);
    }

    @Test
    void hostCliOverTheReader() throws Exception {
        String r = Commands.READER;
        String uri = "otpauth://totp/Example:olivia?secret=" + SEED_SHA256
                + "&issuer=Example&algorithm=SHA256&digits=8&period=60";
        assertThat(String.join("\n", Commands.hostOk("--reader", r, "provision", "--uri", uri)))
                .contains("1 of 1 accounts in and proven");
        String hotp = "otpauth://hotp/Example:peggy?secret=" + SEED_SHA1 + "&issuer=Example&counter=0";
        Commands.hostOk("--reader", r, "provision", "--uri", hotp);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-a", "SHA512", "-i", "Example", "quinn", SEED_SHA512);
        List<String> list = Commands.hostOk("--reader", r, "list");
        assertThat(String.join("\n", list)).containsPattern("Example:olivia\\s+TOTP\\s+SHA256\\s+8\\s+60")
                .containsPattern("Example:peggy\\s+HOTP\\s+SHA1\\s+6")
                .containsPattern("Example:quinn\\s+TOTP\\s+SHA512\\s+6\\s+30");
        assertTotp(() -> Commands.hostOk("--reader", r, "code", "quinn"), "Example:quinn", SEED_SHA512, "SHA512", 6,
                DEFAULT_PERIOD);
        assertTotp(() -> Commands.hostOk("--reader", r, "code", "olivia"), hostId(list, "olivia"), SEED_SHA256,
                "SHA256", 8, 60);
        // Provisioning proved the HOTP account with counter 0; the reader gets 1, ykman 2.
        assertThat(Commands.codes(Commands.hostOk("--reader", r, "code", "Example:peggy")))
                .containsExactly(Map.entry("Example:peggy", Commands.hotp(SEED_SHA1, "SHA1", 6, 1)));
        assertThat(Commands.codes(Commands.ykmanOk("oath", "accounts", "code", "peggy")))
                .containsExactly(Map.entry("Example:peggy", Commands.hotp(SEED_SHA1, "SHA1", 6, 2)));
        Commands.hostOk("--reader", r, "rename", "Example:quinn", "Other:quinn");
        Commands.hostOk("--reader", r, "delete", "Example:peggy");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).contains("Other:quinn").doesNotContain("Example:peggy");
        assertThat(Commands.hostOk("--reader", r, "info")).anySatisfy(l -> assertThat(l).startsWith("accounts  2 of "))
                .anySatisfy(l -> assertThat(l).contains("(OATH 5.7.0)"));
        assertThat(Commands.host("s3cret\n", "--reader", r, "password", "set", "--password-stdin").status()).isZero();
        assertThat(Commands.host(null, "--reader", r, "list").status()).isEqualTo(6);
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "s3cret")).hasSize(2);
        assertThat(Commands.host("s3cret\n", "--reader", r, "list", "--password-stdin").status()).isZero();
        Commands.hostOk("--reader", r, "reset", "--force");
        assertThat(Commands.ykmanOk("oath", "info")).contains("Password protection: disabled");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).isEmpty();
        Result wrong = Commands.host(null, "--reader", "No Such Reader", "list");
        assertThat(wrong.status()).isEqualTo(4);
        assertThat(wrong.err().strip()).contains("No Such Reader").doesNotContain("\n");
    }

    @Test
    void renameAndDelete() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "dave", SEED_SHA1);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "erin", SEED_SHA256);
        Commands.ykmanOk("oath", "accounts", "rename", "-f", "Example:dave", "Other:dave2");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactlyInAnyOrder("Other:dave2", "Example:erin");
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "dave2"), "Other:dave2", SEED_SHA1, "SHA1", 6,
                DEFAULT_PERIOD);
        Commands.ykmanOk("oath", "accounts", "delete", "-f", "Other:dave2");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactly("Example:erin");
        Commands.ykmanOk("oath", "accounts", "delete", "-f", "erin");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).isEmpty();
    }

    @Test
    void accessChangeThenPassword() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "frank", SEED_SHA1);
        Commands.ykmanOk("oath", "access", "change", "-n", "s3cret");
        assertThat(Commands.ykmanOk("oath", "info")).contains("Password protection: enabled");
        Result locked = Commands.ykman("oath", "accounts", "list");
        assertThat(locked.status()).as("no password, no list").isNotZero();
        assertThat(locked.out()).doesNotContain("frank");
        assertThat(Commands.ykman("oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "s3cret")).containsExactly("Example:frank");
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "-p", "s3cret", "frank"), "Example:frank",
                SEED_SHA1, "SHA1", 6, DEFAULT_PERIOD);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-p", "s3cret", "-i", "Example", "grace", SEED_SHA256);
        Commands.ykmanOk("oath", "access", "change", "-p", "s3cret", "-n", "other");
        assertThat(Commands.ykman("oath", "accounts", "list", "-p", "s3cret").status()).isNotZero();
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "other"))
                .containsExactlyInAnyOrder("Example:frank", "Example:grace");
        Commands.ykmanOk("oath", "access", "change", "-p", "other", "-c");
        assertThat(Commands.ykmanOk("oath", "info")).contains("Password protection: disabled");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactlyInAnyOrder("Example:frank", "Example:grace");
    }

    /** ykman with its own home, so that {@code oath access remember} writes there. */
    private Result ykmanAt(Path home, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ykman", "--reader", Commands.READER));
        cmd.addAll(List.of(args));
        return Commands.run(cmd, Map.of("HOME", home.toString()), null);
    }

    /** The wrong-password count in a stopped simulator's state file. */
    private static int storedFailures(Path state) throws Exception {
        return AccountStore.failedValidations(TransactionalMemory.powerUp(StateFile.read(state), null), 0);
    }

    @Test
    void wrongPasswordsThenTheRightOneStillWorkWithRememberToo() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "judy", SEED_SHA1);
        Commands.ykmanOk("oath", "access", "change", "-n", "s3cret");
        for (int i = 0; i < 2; i++) {
            Result wrong = Commands.ykman("oath", "accounts", "list", "-p", "wrong" + i);
            assertThat(wrong.status()).isNotZero();
            assertThat(wrong.out() + wrong.err()).doesNotContain("judy");
        }
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "s3cret")).containsExactly("Example:judy");
        // a third and fourth wrong one: the fourth waits 1 s, ykman waits with it
        for (int i = 0; i < 4; i++) {
            assertThat(Commands.ykman("oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        }
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "-p", "s3cret", "judy"), "Example:judy",
                SEED_SHA1, "SHA1", 6, DEFAULT_PERIOD);
        // remember after failures, then the remembered key unlocks without -p
        assertThat(ykmanAt(home, "oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        Result remembered = ykmanAt(home, "oath", "access", "remember", "-p", "s3cret");
        assertThat(remembered.status()).as(remembered.err()).isZero();
        Result list = ykmanAt(home, "oath", "accounts", "list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.outLines()).containsExactly("Example:judy");
        // change after failures, then clear
        assertThat(Commands.ykman("oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        Commands.ykmanOk("oath", "access", "change", "-p", "s3cret", "-n", "other");
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "other")).containsExactly("Example:judy");
        Commands.ykmanOk("oath", "access", "change", "-p", "other", "-c");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactly("Example:judy");
    }

    @Test
    void theWrongPasswordCountSurvivesARestartOfTheSimulator() throws Exception {
        sim.close();
        sim = null;
        Path state = dir.resolve("token.state");
        sim = VpcdSim.start(state);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "kim", SEED_SHA1);
        Commands.ykmanOk("oath", "access", "change", "-n", "s3cret");
        for (int i = 0; i < 4; i++) {
            assertThat(Commands.ykman("oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        }
        sim.close();
        sim = null;
        assertThat(storedFailures(state)).isEqualTo(4);
        sim = VpcdSim.start(state);
        // the fifth try after the restart is counted on top (and waits 2 s), then the right one (4 s) resets
        assertThat(Commands.ykman("oath", "accounts", "list", "-p", "wrong").status()).isNotZero();
        sim.close();
        sim = null;
        assertThat(storedFailures(state)).isEqualTo(5);
        sim = VpcdSim.start(state);
        assertThat(Commands.ykmanOk("oath", "accounts", "list", "-p", "s3cret")).containsExactly("Example:kim");
        sim.close();
        sim = null;
        assertThat(storedFailures(state)).isZero();
    }

    @Test
    void resetWipesAccountsAndPassword() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "heidi", SEED_SHA1);
        Commands.ykmanOk("oath", "access", "change", "-n", "s3cret");
        Commands.ykmanOk("oath", "reset", "-f");
        assertThat(Commands.ykmanOk("oath", "info")).contains("Password protection: disabled");
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).isEmpty();
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "ivan", SEED_SHA1);
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactly("Example:ivan");
    }

    @Test
    void accountsAddedByYkmanWorkOverTheSerialLine() throws Exception {
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-a", "SHA256", "-d", "8", "-P", "60", "-i", "Example",
                "judy", SEED_SHA256);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-o", "HOTP", "-i", "Example", "ken", SEED_SHA1);
        Commands.ykmanOk("oath", "accounts", "add", "-f", "-i", "Example", "leo", SEED_SHA1);
        List<String> list = Commands.hostOk("--port", sim.port(), "list");
        assertThat(list).hasSize(3);
        assertThat(String.join("\n", list)).containsPattern("Example:judy\\s+TOTP\\s+SHA256\\s+8\\s+60")
                .containsPattern("Example:ken\\s+HOTP\\s+SHA1\\s+6")
                .containsPattern("Example:leo\\s+TOTP\\s+SHA1\\s+6\\s+30");
        assertTotp(() -> Commands.hostOk("--port", sim.port(), "code", "Example:leo"), "Example:leo", SEED_SHA1,
                "SHA1", 6, DEFAULT_PERIOD);
        assertTotp(() -> Commands.hostOk("--port", sim.port(), "code", "judy"), hostId(list, "judy"), SEED_SHA256,
                "SHA256", 8, 60);
        // The counter is shared: the serial line takes 0, ykman then gets 1.
        assertThat(Commands.codes(Commands.hostOk("--port", sim.port(), "code", "Example:ken")))
                .containsExactly(Map.entry("Example:ken", Commands.hotp(SEED_SHA1, "SHA1", 6, 0)));
        assertThat(Commands.codes(Commands.ykmanOk("oath", "accounts", "code", "ken")))
                .containsExactly(Map.entry("Example:ken", Commands.hotp(SEED_SHA1, "SHA1", 6, 1)));
    }

    /** The name the host prints for the account whose id ends with {@code name}. */
    private static String hostId(List<String> list, String name) {
        for (String l : list) {
            String id = l.strip().split("\\s+")[0];
            if (id.endsWith(name)) {
                return id;
            }
        }
        throw new AssertionError(name + " not in " + list);
    }

    @Test
    void accountsProvisionedOverTheSerialLineWorkInYkman() throws Exception {
        String uri = "otpauth://totp/Example:mallory?secret=" + SEED_SHA512
                + "&issuer=Example&algorithm=SHA512&digits=8&period=60";
        Commands.hostOk("--port", sim.port(), "provision", "--uri", uri);
        String hotp = "otpauth://hotp/Example:niaj?secret=" + SEED_SHA256 + "&issuer=Example&algorithm=SHA256&counter=5";
        Commands.hostOk("--port", sim.port(), "provision", "--uri", hotp);
        String id = credentialId("Example", "mallory", 60);
        assertThat(Commands.ykmanOk("oath", "accounts", "list")).containsExactlyInAnyOrder(id, "Example:niaj");
        assertTotp(() -> Commands.ykmanOk("oath", "accounts", "code", "mallory"), id, SEED_SHA512, "SHA512", 8, 60);
        // Provisioning proved the account with the code of counter 5, so ykman gets counter 6.
        assertThat(Commands.codes(Commands.ykmanOk("oath", "accounts", "code", "niaj")))
                .containsExactly(Map.entry("Example:niaj", Commands.hotp(SEED_SHA256, "SHA256", 6, 6)));
    }
}
