package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host program end to end: a simulated token in its own process on a pseudo-terminal,
 * the CLI in its own process, codes checked against oathtool.
 */
class HostCliIT {
    /** RFC 4226 key "12345678901234567890" in Base32 and hex. */
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String HEX_KEY = "3132333435363738393031323334353637383930";
    /** A 32-byte and a 64-byte key (RFC 6238 SHA-256 / SHA-512 seeds). */
    private static final String B32_32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    private static final String B32_64 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";

    @TempDir
    Path dir;

    private static Map<String, String> port(Sim sim) {
        return Map.of(HostMain.PORT_VARIABLE, sim.port);
    }

    private static String uri(String label, String secret, String extra) {
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + label.split(":")[0] + extra;
    }

    private static String oathtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("oathtool"));
        cmd.addAll(List.of(args));
        Result r = Processes.run(cmd, Map.of(), null);
        assertThat(r.status()).as("oathtool %s: %s", cmd, r.err()).isZero();
        return r.out().trim();
    }

    /** The code the host prints for {@code name}, checked against oathtool at the same time step. */
    private static void assertTotpMatchesOathtool(Sim sim, String name, String secret, String alg, int digits,
                                                  int period) throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = Instant.now().getEpochSecond() / period;
            Result r = Processes.host(port(sim), null, "code", name);
            long after = Instant.now().getEpochSecond() / period;
            assertThat(r.status()).as(r.err()).isZero();
            if (before != after) {
                continue; // crossed a step boundary: retry once
            }
            String expected = oathtool("--totp=" + alg, "-d", Integer.toString(digits), "-s", period + "s",
                    "--now", "@" + before * period, "-b", secret);
            assertThat(r.outLines()).containsExactly(name + "  " + expected);
            return;
        }
        throw new AssertionError("two step boundaries in a row");
    }

    @Test
    void noPortIsExit4WithOneLine() throws Exception {
        Result r = Processes.host(Map.of(), null, "list");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.errLines()).singleElement().asString().startsWith("otptoken: no token");
        Result gone = Processes.host(Map.of(), null, "--port", dir.resolve("ttyNone").toString(), "list");
        assertThat(gone.status()).isEqualTo(4);
        assertThat(gone.errLines()).singleElement().asString().contains("no token at " + dir.resolve("ttyNone"));
    }

    @Test
    void usageErrorsAreExit2() throws Exception {
        assertThat(Processes.host(Map.of(), null, "frobnicate").status()).isEqualTo(2);
        assertThat(Processes.host(Map.of(), null, "reset").status()).isEqualTo(2);
        assertThat(Processes.host(Map.of(), null, "--reader", "Virtual PCD 00 00", "--port", "/dev/null", "list").status()).isEqualTo(2);
        assertThat(Processes.host(Map.of(), null, "provision").status()).isEqualTo(2);
        assertThat(Processes.host(Map.of(), null, "--version").out()).startsWith("otptoken ");
    }

    @Test
    void badUrisAndImagesAreExit3WithOneLine() throws Exception {
        Processes.requireTool("qrencode");
        Path blank = dir.resolve("blank.png");
        ImageIO.write(new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        Path text = dir.resolve("text.png");
        Processes.run(List.of("qrencode", "-o", text.toString(), "hello, not an otpauth URI"), Map.of(), null);
        for (String[] args : new String[][] {
            {"provision", "--uri", "otpauth://totp/x?secret=!!!"},
            {"provision", "--uri", "https://example.com/"},
            {"provision", "--uri", "otpauth://totp/x?secret=" + B32 + "&digits=9"},
            {"provision", blank.toString()},
            {"provision", text.toString()},
            {"qr", "decode", blank.toString()},
            {"qr", "encode", "--uri", "otpauth://nope", "--out", dir.resolve("x.png").toString()},
        }) {
            Result r = Processes.host(Map.of(HostMain.PORT_VARIABLE, dir.resolve("unused").toString()), null, args);
            assertThat(r.status()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(3);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "SHA1,   6, 30, " + B32,
        "SHA256, 8, 60, " + B32_32,
        "SHA512, 8, 30, " + B32_64,
        "SHA1,   8, 60, " + B32,
    })
    void provisionedTotpCodesEqualOathtool(String alg, int digits, int period, String secret) throws Exception {
        Processes.requireTool("oathtool");
        try (Sim sim = new Sim()) {
            String u = uri("Example:alice", secret, "&algorithm=" + alg + "&digits=" + digits + "&period=" + period);
            Result p = Processes.host(port(sim), null, "provision", "--uri", u);
            assertThat(p.status()).as(p.err()).isZero();
            assertThat(p.out()).contains("1 of 1 accounts in and proven");
            Result list = Processes.host(port(sim), null, "list");
            assertThat(list.outLines()).singleElement().asString()
                    .matches("Example:alice  TOTP  " + alg + " +" + digits + "  " + period);
            String oathAlg = alg.toLowerCase(java.util.Locale.ROOT).replace("sha", "sha");
            assertTotpMatchesOathtool(sim, "Example:alice", secret, oathAlg, digits, period);
        }
    }

    @Test
    void hotpFromAQrencodeImageCountsLikeOathtool() throws Exception {
        Processes.requireTool("oathtool");
        Processes.requireTool("qrencode");
        Path png = dir.resolve("hotp.png");
        String u = "otpauth://hotp/Acme:bob?secret=" + B32 + "&issuer=Acme&counter=3";
        assertThat(Processes.run(List.of("qrencode", "-o", png.toString(), u), Map.of(), null).status()).isZero();
        try (Sim sim = new Sim()) {
            Result p = Processes.host(port(sim), null, "provision", png.toString());
            assertThat(p.status()).as(p.err()).isZero();
            // proving consumed counter 3; the next code is counter 4
            Result c = Processes.host(port(sim), null, "code", "Acme:bob");
            assertThat(c.status()).as(c.err()).isZero();
            assertThat(c.outLines()).containsExactly("Acme:bob  " + oathtool("--hotp", "-c", "4", "-b", B32));
            Result list = Processes.host(port(sim), null, "list");
            assertThat(list.outLines()).singleElement().asString().matches("Acme:bob  HOTP  SHA1 +6  -");
        }
    }

    @Test
    void aPrimaryAndTwoBackupsHoldTheSameAccounts() throws Exception {
        Processes.requireTool("oathtool");
        try (Sim a = new Sim(); Sim b = new Sim(); Sim c = new Sim()) {
            Result p = Processes.host(Map.of(), null, "--port", a.port, "provision", "--backup", b.port, "--backup",
                    c.port, "--uri", uri("Example:alice", B32, ""));
            assertThat(p.status()).as(p.err()).isZero();
            assertThat(p.err()).doesNotContain("no --backup");
            assertThat(p.outLines()).hasSize(3).allSatisfy(l -> assertThat(l).contains("1 of 1 accounts in and proven"));
            for (Sim s : List.of(a, b, c)) {
                assertTotpMatchesOathtool(s, "Example:alice", B32, "sha1", 6, 30);
            }
        }
    }

    @Test
    void accountManagementFlowsAndExitStatuses() throws Exception {
        try (Sim sim = new Sim()) {
            Map<String, String> env = port(sim);
            Result warn = Processes.host(env, null, "provision", "--uri", uri("Example:alice", B32, ""));
            assertThat(warn.status()).isZero();
            assertThat(warn.errLines()).filteredOn(l -> l.contains("no --backup")).hasSize(1);
            // same name again: refused unless --overwrite
            Result again = Processes.host(env, null, "provision", "--uri", uri("Example:alice", B32, ""));
            assertThat(again.status()).isEqualTo(3);
            assertThat(Processes.host(env, null, "provision", "--overwrite", "--uri", uri("Example:alice", B32, ""))
                    .status()).isZero();
            assertThat(Processes.host(env, null, "rename", "Example:alice", "Example:carol").status()).isZero();
            assertThat(Processes.host(env, null, "list").out()).startsWith("Example:carol  TOTP");
            Result missing = Processes.host(env, null, "delete", "Example:alice");
            assertThat(missing.status()).isEqualTo(3);
            assertThat(missing.errLines()).containsExactly("otptoken: no account named 'Example:alice' (see otptoken list)");
            assertThat(Processes.host(env, null, "delete", "Example:carol").status()).isZero();
            assertThat(Processes.host(env, null, "list").out()).isEmpty();
            assertThat(Processes.host(env, null, "--json", "list").out().trim()).isEqualTo("{\"accounts\":[]}");

            // password: set, then commands need it, wrong is 6, clear
            assertThat(Processes.host(env, null, "provision", "--uri", uri("Example:dave", B32, "")).status()).isZero();
            assertThat(Processes.host(env, "s3cret\n", "password", "set", "--password-stdin").status()).isZero();
            Result locked = Processes.host(env, null, "list");
            assertThat(locked.status()).isEqualTo(6);
            assertThat(locked.errLines()).hasSize(1);
            assertThat(Processes.host(env, "wrong\n", "list", "--password-stdin").status()).isEqualTo(6);
            assertThat(Processes.host(env, "wrong\n", "password", "unlock", "--password-stdin").status()).isEqualTo(6);
            assertThat(Processes.host(env, "s3cret\n", "password", "unlock", "--password-stdin").status()).isZero();
            Result unlocked = Processes.host(env, "s3cret\n", "list", "--password-stdin");
            assertThat(unlocked.status()).isZero();
            assertThat(unlocked.out()).startsWith("Example:dave");
            assertThat(Processes.host(env, "s3cret\n", "password", "clear", "--password-stdin").status()).isZero();
            assertThat(Processes.host(env, null, "list").status()).isZero();

            // reset: usage error without --force, then wipes
            assertThat(Processes.host(env, null, "reset").status()).isEqualTo(2);
            assertThat(Processes.host(env, null, "reset", "--force").status()).isZero();
            assertThat(Processes.host(env, null, "list").out()).isEmpty();
        }
    }

    @Test
    void infoAndClockReadTheToken() throws Exception {
        try (Sim sim = new Sim("--serial", "4242")) {
            Result info = Processes.host(port(sim), null, "info");
            assertThat(info.status()).as(info.err()).isZero();
            assertThat(info.out()).contains("serial    4242");
            Result json = Processes.host(port(sim), null, "--json", "clock");
            assertThat(json.status()).as(json.err()).isZero();
            assertThat(json.out().trim()).startsWith("{\"token_time\":").contains("\"offset_seconds\":");
            assertThat(Processes.host(port(sim), null, "clock", "sync").status()).isZero();
        }
    }

    @Test
    void clockSyncNeverGoesBackwardsWithoutForce() throws Exception {
        try (Sim ahead = new Sim("--start-time", "2099-01-01T00:00:00Z");
             Sim behind = new Sim("--start-time", "2001-01-01T00:00:00Z")) {
            Result refused = Processes.host(port(ahead), null, "clock", "sync");
            assertThat(refused.status()).isEqualTo(5);
            assertThat(refused.errLines()).singleElement().asString().contains("6985");
            assertThat(Processes.host(port(ahead), null, "clock", "sync", "--force").status()).isZero();
            Result forward = Processes.host(port(behind), null, "clock", "sync");
            assertThat(forward.status()).as(forward.err()).isZero();
            String offset = forward.outLines().stream().filter(l -> l.startsWith("offset")).findFirst().orElseThrow();
            assertThat(Math.abs(Double.parseDouble(offset.replaceAll("[^0-9.+-]", "")))).isLessThan(1.0);
        }
    }

    @Test
    void touchAccountsWaitForThePress() throws Exception {
        try (Sim sim = new Sim()) {
            sim.autoPress = true;
            Result p = Processes.host(port(sim), null, "provision", "--touch", "--uri", uri("Example:erin", B32, ""));
            assertThat(p.status()).as(p.err()).isZero();
            assertThat(p.err()).contains("touch the token");
            assertThat(Processes.host(port(sim), null, "list").out()).contains("touch");
            Result c = Processes.host(port(sim), null, "code", "Example:erin");
            assertThat(c.status()).as(c.err()).isZero();
            assertThat(c.err()).contains("touch the token");
            assertThat(sim.touches.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void noSecretInAnyOutputAtMaximumVerbosity() throws Exception {
        Processes.requireTool("qrencode");
        String u = uri("Example:alice", B32, "");
        Path png = dir.resolve("alice.png");
        Processes.run(List.of("qrencode", "-o", png.toString(), u), Map.of(), null);
        try (Sim sim = new Sim()) {
            List<Result> results = List.of(
                    Processes.host(port(sim), null, "-vv", "provision", "--uri", u),
                    Processes.host(port(sim), null, "-vv", "provision", "--overwrite", png.toString()),
                    Processes.host(port(sim), null, "-vv", "qr", "decode", png.toString()),
                    Processes.host(port(sim), "pw\n", "-vv", "password", "set", "--password-stdin"),
                    Processes.host(port(sim), "pw\n", "-vv", "code", "--password-stdin"));
            for (Result r : results) {
                assertThat(r.status()).as(r.err()).isZero();
                String all = r.out() + r.err();
                String spaced = HexFormat.ofDelimiter(" ").withUpperCase().formatHex(HexFormat.of().parseHex(HEX_KEY));
                assertThat(all).doesNotContainIgnoringCase(HEX_KEY).doesNotContainIgnoringCase(spaced)
                        .doesNotContain(B32).doesNotContain(u).doesNotContain("secret=");
            }
            assertThat(results.get(0).err()).contains("<20 bytes redacted>");
        }
    }
}
