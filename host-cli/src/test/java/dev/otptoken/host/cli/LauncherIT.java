package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.oathtool;
import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.qrencode;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.testing.Ci;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the launchers, on real pseudo-terminals: {@code bin/otptoken-sim} makes
 * the token, {@code bin/otptoken} provisions it from qrencode images, and every code is
 * checked against oathtool (HOTP with SHA-256, which oathtool lacks, against the RFC 4226
 * reference in {@code protocol}).
 */
class LauncherIT {
    /** RFC 6238 Appendix B seeds: 20, 32 and 64 bytes for SHA-1, SHA-256, SHA-512. */
    /** A font file from a package .ci/run installs (fonts-dejavu-core): ImageMagick's default font name resolves to nothing on a minimal machine. */
    private static final Path TEXT_FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    private static final String HEX_20 = "3132333435363738393031323334353637383930";
    private static final String HEX_32 = HEX_20 + "313233343536373839303132";
    private static final String HEX_64 = HEX_20 + HEX_20 + HEX_20 + "31323334";
    private static final String B32_20 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String B32_32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    private static final String B32_64 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";
    /**
     * The Google Authenticator export in src/test/resources/qr/migration.txt: alice (TOTP SHA-1, 6 digits),
     * bob (HOTP SHA-256, 8 digits, counter 7) and an MD5 account that is skipped.
     */
    private static final String ALICE_HEX = "48656c6c6f21deadbeef";
    private static final int BOB_COUNTER = 7;

    @TempDir
    Path dir;

    /** One TOTP account of the matrix: label, algorithm, digits, period, Base32 secret. */
    private record Totp(String label, String alg, int digits, int period, String b32) {
        String uri() {
            return "otpauth://totp/" + label + "?secret=" + b32 + "&issuer=" + label.split(":")[0] + "&algorithm=" + alg
                    + "&digits=" + digits + "&period=" + period;
        }

        String oathtool(long step) throws Exception {
            return Launchers.oathtool("--totp=" + alg.toLowerCase(Locale.ROOT), "-d", Integer.toString(digits),
                    "-s", period + "s", "--now", "@" + step * period, "-b", b32);
        }
    }

    private static final List<Totp> MATRIX = List.of(
            new Totp("Sha1:six-30", "SHA1", 6, 30, B32_20),
            new Totp("Sha1:eight-60", "SHA1", 8, 60, B32_20),
            new Totp("Sha256:six-60", "SHA256", 6, 60, B32_32),
            new Totp("Sha256:eight-30", "SHA256", 8, 30, B32_32),
            new Totp("Sha512:six-30", "SHA512", 6, 30, B32_64),
            new Totp("Sha512:eight-60", "SHA512", 8, 60, B32_64));

    @Test
    void helpAndVersionOfBothLaunchers() throws Exception {
        Result help = otptoken(Map.of(), null, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: otptoken").contains("provision").contains("demo");
        Result version = otptoken(Map.of(), null, "--version");
        assertThat(version.status()).isZero();
        assertThat(version.out().trim()).matches("otptoken \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        Result demoHelp = otptoken(Map.of(), null, "demo", "--help");
        assertThat(demoHelp.status()).isZero();
        assertThat(demoHelp.out()).contains("token and host agree");

        Result simHelp = Processes.run(List.of(Launchers.sim().toString(), "--help"), Map.of(), null);
        assertThat(simHelp.status()).isZero();
        assertThat(simHelp.out()).contains("Usage: otptoken-sim").contains("--headless").contains("--pty");
        Result simVersion = Processes.run(List.of(Launchers.sim().toString(), "--version"), Map.of(), null);
        assertThat(simVersion.status()).isZero();
        assertThat(simVersion.out()).startsWith("otptoken-sim ");
        Result badSim = Processes.run(List.of(Launchers.sim().toString(), "--drift-ppm", "5000"), Map.of(), null);
        assertThat(badSim.status()).isEqualTo(ExitStatus.USAGE);
    }

    /**
     * A C locale (cron, containers, LANG unset) reads the command line as ASCII: the launcher runs
     * Java in C.UTF-8, so a name is neither stored as Caf\uFFFD\uFFFD nor printed as Caf??; java
     * -jar, which nothing can change, refuses such a line instead of using it. The UTF-8 bytes go
     * through a script file: this JVM may itself run in a C locale and could not pass them.
     */
    @Test
    void aCLocaleStoresAndPrintsNamesWholeOrRefusesThem(@TempDir Path dir) throws Exception {
        String name = "Caf\u00e9:zo\u00eb";
        Path script = dir.resolve("c-locale.sh");
        Files.writeString(script, "unset LANG LC_CTYPE; export LC_ALL=C\n"
                + "\"$1\" qr encode --uri 'otpauth://totp/" + name + "?secret=" + B32_20 + "' --out \"$2\" 2>&1 || exit 9\n"
                + "\"$1\" qr decode \"$2\" || exit 8\n"
                // a UTF-8 name that is not installed falls back to C in the C library: the same case
                + "env -u LC_ALL LANG=xx_XX.UTF-8 \"$1\" qr decode \"$2\" || exit 7\n"
                + "exec java -jar \"$3\" qr encode --uri 'otpauth://totp/" + name + "?secret=" + B32_20 + "' --out \"$2.2\"\n",
                StandardCharsets.UTF_8);
        Path png = dir.resolve("q.png");
        Result r = Processes.run(List.of("bash", script.toString(), Launchers.host().toString(), png.toString(),
                Launchers.root().resolve("host-cli/target/otptoken.jar").toString()), Map.of(), null);
        assertThat(r.out()).as(r.err()).doesNotContain("?").doesNotContain("\uFFFD");
        assertThat(r.outLines()).as(r.out()).filteredOn(l -> l.contains(name + "  ")).hasSize(2);
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(ExitStatus.USAGE);
        assertThat(r.err()).isEqualTo("otptoken: the command line holds bytes that the locale's character set"
                + " (ANSI_X3.4-1968) cannot read: nothing was done; run otptoken in a UTF-8 locale (LC_ALL=C.UTF-8)\n");
        assertThat(dir.resolve("q.png.2")).doesNotExist();
    }

    /** The whole matrix from qrencode images in one provision run, then HOTP too; codes equal oathtool. */
    @Test
    void totpAndHotpImagesFromQrencodeGiveOathtoolCodes() throws Exception {
        Processes.requireTool("qrencode");
        Processes.requireTool("oathtool");
        List<String> args = new ArrayList<>(List.of("provision"));
        for (Totp t : MATRIX) {
            args.add(qrencode(dir.resolve(t.label().replace(':', '-') + ".png"), t.uri()).toString());
        }
        args.add(qrencode(dir.resolve("hotp.png"),
                "otpauth://hotp/Hotp:eight?secret=" + B32_20 + "&issuer=Hotp&digits=8&counter=41").toString());
        try (Sim sim = startSim()) {
            Result p = otptoken(port(sim), null, args.toArray(String[]::new));
            assertThat(p.status()).as(p.err()).isZero();
            assertThat(p.outLines()).singleElement().asString().contains("7 of 7 accounts in and proven");

            Result list = otptoken(port(sim), null, "list");
            assertThat(list.status()).as(list.err()).isZero();
            assertThat(list.outLines()).hasSize(7)
                    .anySatisfy(l -> assertThat(l).matches("Sha512:eight-60 +TOTP +SHA512 +8 +60"))
                    .anySatisfy(l -> assertThat(l).matches("Sha256:six-60 +TOTP +SHA256 +6 +60"))
                    .anySatisfy(l -> assertThat(l).matches("Hotp:eight +HOTP +SHA1 +8 +-"));

            // `code` without a query names the HOTP account and leaves its counter alone; `code NAME`
            // computes it and advances the counter: proving used 41
            long counter = 42;
            for (int attempt = 0; ; attempt++) {
                List<Long> before = Launchers.steps(30, 60);
                Result codes = otptoken(port(sim), null, "code");
                List<Long> after = Launchers.steps(30, 60);
                assertThat(codes.status()).as(codes.err()).isZero();
                Map<String, String> shown = columns(codes.outLines());
                assertThat(shown.get("Hotp:eight")).isEqualTo("[HOTP]");
                Result hotp = otptoken(port(sim), null, "code", "Hotp:eight");
                assertThat(columns(hotp.outLines()).get("Hotp:eight"))
                        .isEqualTo(oathtool("--hotp", "-d", "8", "-c", Long.toString(counter), "-b", B32_20));
                counter++;
                if (!before.equals(after) && attempt == 0) {
                    continue; // a step boundary fell inside the command: once more
                }
                assertThat(before).isEqualTo(after);
                for (Totp t : MATRIX) {
                    long step = before.get(t.period() == 30 ? 0 : 1);
                    assertThat(shown.get(t.label())).as(t.label()).isEqualTo(t.oathtool(step));
                }
                break;
            }
        }
    }

    @Test
    void aPrimaryAndTwoBackupsFromOneImage() throws Exception {
        Processes.requireTool("qrencode");
        Processes.requireTool("oathtool");
        Totp t = MATRIX.get(3);
        Path png = qrencode(dir.resolve("backup.png"), t.uri());
        try (Sim a = startSim(); Sim b = startSim(); Sim c = startSim()) {
            Result p = otptoken(port(a), null, "provision", "--backup", b.port, "--backup", c.port, png.toString());
            assertThat(p.status()).as(p.err()).isZero();
            assertThat(p.outLines()).hasSize(3);
            for (Sim s : List.of(a, b, c)) {
                assertThat(p.out()).contains(s.port + ": 1 of 1 accounts in and proven (" + t.label() + ")");
            }
            for (int attempt = 0; ; attempt++) {
                List<Long> before = Launchers.steps(t.period());
                List<String> shown = new ArrayList<>();
                for (Sim s : List.of(a, b, c)) {
                    Result r = otptoken(port(s), null, "code", t.label());
                    assertThat(r.status()).as(r.err()).isZero();
                    shown.addAll(r.outLines());
                }
                if (!before.equals(Launchers.steps(t.period())) && attempt == 0) {
                    continue;
                }
                String expected = t.label() + "  " + t.oathtool(before.get(0));
                assertThat(shown).containsExactly(expected, expected, expected);
                break;
            }
        }
    }

    /** A phone screenshot of a Google Authenticator export: the QR code on a 1080x2340 screen with text. */
    @Test
    void aGoogleAuthenticatorExportScreenshot() throws Exception {
        Processes.requireTool("qrencode");
        Processes.requireTool("convert");
        Processes.requireTool("oathtool");
        Ci.require(Files.isReadable(TEXT_FONT), TEXT_FONT + " is missing (apt-get install fonts-dejavu-core)");
        String export;
        try (InputStream in = LauncherIT.class.getResourceAsStream("/qr/migration.txt")) {
            export = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        Path qr = qrencode(dir.resolve("export-qr.png"), export);
        Path shot = dir.resolve("screenshot.png");
        Result convert = Processes.run(List.of("convert", "-size", "1080x2340", "xc:#f1f3f4",
                "-font", TEXT_FONT.toString(), "-fill", "#202124", "-pointsize", "48", "-annotate", "+80+200", "Transfer accounts",
                "(", qr.toString(), "-scale", "600%", ")", "-gravity", "center", "-composite", shot.toString()),
                Map.of(), null);
        assertThat(convert.status()).as(convert.err()).isZero();
        try (Sim sim = startSim()) {
            Result p = otptoken(port(sim), null, "provision", shot.toString());
            assertThat(p.status()).as(p.err()).isZero();
            assertThat(p.out()).contains("2 of 2 accounts in and proven (Example:alice@example.com, bob)");
            assertThat(p.err()).contains("migration batch 1 of 1: 2 accounts, skipped 1: old");

            Result list = otptoken(port(sim), null, "list");
            assertThat(list.outLines()).hasSize(2)
                    .anySatisfy(l -> assertThat(l).matches("Example:alice@example.com +TOTP +SHA1 +6 +30"))
                    .anySatisfy(l -> assertThat(l).matches("bob +HOTP +SHA256 +8 +-"));
            byte[] bobKey = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
            for (int attempt = 0; ; attempt++) {
                List<Long> before = Launchers.steps(30);
                Result codes = otptoken(port(sim), null, "code");
                assertThat(codes.status()).as(codes.err()).isZero();
                Map<String, String> shown = columns(codes.outLines());
                assertThat(shown.get("bob")).isEqualTo("[HOTP]");
                // proving used counter 7; each run of `code bob` takes the next one
                Result hotp = otptoken(port(sim), null, "code", "bob");
                assertThat(columns(hotp.outLines()).get("bob"))
                        .isEqualTo(Hotp.code(HashAlgorithm.SHA256, bobKey, BOB_COUNTER + 1 + attempt, 8));
                if (!before.equals(Launchers.steps(30)) && attempt == 0) {
                    continue;
                }
                assertThat(shown.get("Example:alice@example.com")).isEqualTo(oathtool("--totp", "-d", "6",
                        "--now", "@" + before.get(0) * 30, ALICE_HEX));
                break;
            }
        }
    }

    /** Commands started together on one port take turns (each locks the port): none hangs, none fails. */
    @Test
    void concurrentCommandsOnOnePortTakeTurns() throws Exception {
        try (Sim sim = startSim()) {
            Result put = otptoken(port(sim), null, "provision", "--uri", "otpauth://totp/Turns:a?secret=" + B32_20);
            assertThat(put.status()).as(put.err()).isZero();
            List<java.util.concurrent.CompletableFuture<Result>> runs = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                for (int i = 0; i < 8; i++) {
                    runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return otptoken(port(sim), null, "list");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool));
                }
                for (java.util.concurrent.CompletableFuture<Result> run : runs) {
                    Result r = run.get(90, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(r.status()).as(r.err()).isZero();
                    assertThat(r.outLines()).singleElement().asString().startsWith("Turns:a ");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A port another process keeps locked: the command says who holds it, waits its bound, and exits 4. */
    @Test
    void aPortHeldByAnotherProcessIsWaitedForThenRefusedNamingIt() throws Exception {
        try (Sim sim = startSim();
             java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(Path.of(sim.port),
                     java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = held.lock()) {
            long pid = ProcessHandle.current().pid();
            long start = System.nanoTime();
            Result r = otptoken(port(sim), null, "list");
            long waitedMillis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(r.status()).as(r.err()).isEqualTo(ExitStatus.NO_TOKEN);
            assertThat(r.errLines()).containsExactly(
                    "otptoken: WARN: waiting for " + sim.port + ": in use by PID " + pid,
                    "otptoken: port " + sim.port + " in use by PID " + pid);
            assertThat(waitedMillis).as("the bounded wait").isGreaterThanOrEqualTo(10_000).isLessThan(40_000);
            assertThat(r.out()).isEmpty();
        }
    }

    /**
     * A token that cannot take every account of the input is refused before the first write,
     * naming how many fit: the token keeps exactly what it held (the capacity comes from its
     * device applet, docs/otptoken-cli.md "provision").
     */
    @Test
    void inputLargerThanTheFreeSlotsIsRefusedBeforeAnyWrite() throws Exception {
        Processes.requireTool("qrencode");
        try (Sim sim = startSim()) {
            Result info = otptoken(port(sim), null, "--json", "info");
            assertThat(info.status()).as(info.err()).isZero();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"accounts_capacity\":(\\d+)").matcher(info.out());
            assertThat(m.find()).as(info.out()).isTrue();
            int capacity = Integer.parseInt(m.group(1));
            List<String> fill = new ArrayList<>(List.of("provision"));
            for (int i = 0; i < capacity - 1; i++) {
                fill.add(qrencode(dir.resolve("fill-" + i + ".png"),
                        "otpauth://totp/Fill:a" + i + "?secret=" + B32_20 + "&issuer=Fill").toString());
            }
            Result filled = otptoken(port(sim), null, fill.toArray(String[]::new));
            assertThat(filled.status()).as(filled.err()).isZero();
            assertThat(filled.out()).contains((capacity - 1) + " of " + (capacity - 1) + " accounts in and proven");

            Path two = qrencode(dir.resolve("two-a.png"), "otpauth://totp/More:b?secret=" + B32_20);
            Path three = qrencode(dir.resolve("two-b.png"), "otpauth://totp/More:c?secret=" + B32_20);
            Result refused = otptoken(port(sim), null, "provision", two.toString(), three.toString());
            assertThat(refused.status()).as(refused.err()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(refused.errLines()).as("the refusal alone").singleElement().asString()
                    .isEqualTo("otptoken: " + sim.port + " has room for 1 more account (" + (capacity - 1) + " of "
                            + capacity + " in use) and the input adds 2; nothing was written");
            Result list = otptoken(port(sim), null, "list");
            assertThat(list.outLines()).hasSize(capacity - 1).noneMatch(l -> l.startsWith("More:"));
        }
    }

    /** Bad URIs and images: exit 3 and exactly one line on standard error naming the problem; nothing on stdout. */
    @Test
    void badInputCorpus() throws Exception {
        Processes.requireTool("qrencode");
        Processes.requireTool("convert");
        Path blank = dir.resolve("blank.png");
        assertThat(Processes.run(List.of("convert", "-size", "300x300", "xc:white", blank.toString()), Map.of(), null)
                .status()).isZero();
        Path text = qrencode(dir.resolve("text.png"), "hello, not an otpauth URI");
        Path https = qrencode(dir.resolve("https.png"), "https://example.com/");
        Path md5 = qrencode(dir.resolve("md5.png"), "otpauth://totp/x?secret=" + B32_20 + "&algorithm=MD5");
        Path badMigration = qrencode(dir.resolve("badmig.png"), "otpauth-migration://offline?data=%%%");
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(text), 300));
        Path notImage = Files.writeString(dir.resolve("notimage.png"), "not an image");
        Path empty = Files.createFile(dir.resolve("empty.png"));
        Path missing = dir.resolve("missing.png");
        // 11 KB of PNG, 100 x 399,000 pixels: under the pixel cap, but tiny on its short side,
        // so a decoder that upscales it without a bound needs gigabytes (the launcher's heap is 512 MiB).
        Path tall = dir.resolve("tall.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(100, 399_000,
                java.awt.image.BufferedImage.TYPE_BYTE_BINARY), "png", tall.toFile());

        Map<List<String>, String> corpus = new LinkedHashMap<>();
        String u = "otpauth://totp/x?secret=";
        corpus.put(uri(u + "!!!"), "secret is not valid Base32");
        corpus.put(uri("https://example.com/"), "not an otpauth URI");
        corpus.put(uri("not a uri at all"), "not an otpauth URI");
        corpus.put(uri(u + B32_20 + "&digits=9"), "digits must be 6, 7 or 8 (got 9)");
        corpus.put(uri(u + B32_20 + "&digits=5"), "digits must be 6, 7 or 8 (got 5)");
        corpus.put(uri(u + B32_20 + "&algorithm=MD5"), "unsupported algorithm MD5");
        corpus.put(uri(u + B32_20 + "&period=0"), "period must be between 1 and 3600 seconds (got 0)");
        corpus.put(uri(u + B32_20 + "&period=abc"), "period must be between 1 and 3600 seconds (got abc)");
        corpus.put(uri("otpauth://totp/x"), "missing secret parameter");
        corpus.put(uri(u), "empty secret");
        corpus.put(uri("otpauth://xotp/x?secret=" + B32_20), "unsupported OTP type 'xotp'");
        corpus.put(uri("otpauth://totp/?secret=" + B32_20), "missing account name");
        corpus.put(uri("otpauth://hotp/x?secret=" + B32_20 + "&counter=-1"), "counter must be between 0");
        corpus.put(uri("otpauth-migration://offline?data=%%%"), "malformed percent escape");
        corpus.put(List.of("provision", blank.toString()), "no QR code found in " + blank);
        corpus.put(List.of("provision", text.toString()), text + ": QR code does not hold an otpauth URI");
        corpus.put(List.of("provision", https.toString()), https + ": QR code does not hold an otpauth URI");
        corpus.put(List.of("provision", md5.toString()), md5 + ": unsupported algorithm MD5");
        corpus.put(List.of("provision", badMigration.toString()), badMigration + ": malformed percent escape");
        corpus.put(List.of("provision", truncated.toString()), "cannot read image " + truncated + ": damaged");
        // FILE is an image by content only: other files are read as exports (docs/imports.md)
        corpus.put(List.of("provision", notImage.toString()), notImage + ": not a QR image, a text file of otpauth URIs"
                + " or an export otptoken reads (");
        corpus.put(List.of("provision", empty.toString()), empty + ": empty file");
        corpus.put(List.of("provision", missing.toString()), "cannot read " + missing + ": no such file");
        corpus.put(List.of("qr", "decode", blank.toString()), "no QR code found in " + blank);
        corpus.put(List.of("qr", "decode", tall.toString()), "no QR code found in " + tall);
        corpus.put(List.of("qr", "encode", "--uri", u + "!!!", "--out", dir.resolve("x.png").toString()),
                "secret is not valid Base32");

        // no token is needed to refuse bad input: the port does not exist
        Map<String, String> env = Map.of(HostMain.PORT_VARIABLE, dir.resolve("ttyNone").toString());
        for (Map.Entry<List<String>, String> c : corpus.entrySet()) {
            Result r = otptoken(env, null, c.getKey().toArray(String[]::new));
            String what = String.join(" ", c.getKey());
            assertThat(r.status()).as(what + ": " + r.err()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(r.errLines()).as(what).singleElement().asString()
                    .startsWith("otptoken: ").contains(c.getValue());
            assertThat(r.out()).as(what).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("x.png"))).isFalse();
    }

    /**
     * At -vv, provisioning known secrets (three key lengths, an image and a migration export)
     * prints none of them in any encoding, and no program leaves them in any file it writes
     * (working directory, temporary directory, home).
     */
    @Test
    void noSecretAnywhereAtMaximumVerbosity() throws Exception {
        Processes.requireTool("qrencode");
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path home = Files.createDirectories(dir.resolve("home"));
        String export;
        try (InputStream in = LauncherIT.class.getResourceAsStream("/qr/migration.txt")) {
            export = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        List<String> uris = new ArrayList<>();
        for (Totp t : List.of(MATRIX.get(0), MATRIX.get(3), MATRIX.get(5))) {
            uris.add(t.uri());
        }
        List<String> images = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            images.add(qrencode(inputs.resolve("s" + i + ".png"), uris.get(i)).toString());
        }
        Path exportPng = qrencode(inputs.resolve("export.png"), export);
        Map<String, String> env = new java.util.HashMap<>();
        env.put("OTPTOKEN_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp + " -Duser.home=" + home);
        env.put("HOME", home.toString());

        List<Result> results = new ArrayList<>();
        try (Sim sim = startSim()) {
            env.put(HostMain.PORT_VARIABLE, sim.port);
            List<String> provision = new ArrayList<>(List.of("-vv", "provision"));
            provision.addAll(images);
            results.add(inDir(dir, env, provision));
            results.add(inDir(dir, env, List.of("-vv", "provision", exportPng.toString())));
            results.add(inDir(dir, env, List.of("-vv", "provision", "--overwrite", "--uri", uris.get(0))));
            results.add(inDir(dir, env, List.of("-vv", "qr", "decode", exportPng.toString(), images.get(2))));
            results.add(inDir(dir, env, List.of("-vv", "code")));
            results.add(inDir(dir, env, List.of("-vv", "provision", "--uri", uris.get(1)))); // refused: exists
        }
        for (int i = 0; i < results.size() - 1; i++) {
            assertThat(results.get(i).status()).as(results.get(i).err()).isZero();
        }
        assertThat(results.get(results.size() - 1).status()).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(results.get(0).err()).as("-vv traces APDUs").contains("redacted");

        List<String> forbidden = new ArrayList<>(uris);
        forbidden.add(export);
        forbidden.add(export.substring(export.indexOf("data=") + "data=".length()));
        forbidden.add("secret=");
        for (String hex : List.of(HEX_20, HEX_32, HEX_64, ALICE_HEX)) {
            byte[] key = HexFormat.of().parseHex(hex);
            forbidden.add(HexFormat.of().formatHex(key));
            forbidden.add(HexFormat.of().withUpperCase().formatHex(key));
            forbidden.add(HexFormat.ofDelimiter(" ").formatHex(key));
            forbidden.add(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(key));
            forbidden.add(HexFormat.ofDelimiter(":").formatHex(key));
            forbidden.add(java.util.Base64.getEncoder().encodeToString(key));
            forbidden.add(new String(key, StandardCharsets.ISO_8859_1));
        }
        forbidden.addAll(List.of(B32_20, B32_32, B32_64, "JBSWY3DPEHPK3PXP"));
        StringBuilder everything = new StringBuilder();
        for (Result r : results) {
            everything.append(r.out()).append('\n').append(r.err()).append('\n');
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(inputs)).toList()) {
                everything.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        String all = everything.toString();
        for (String secret : forbidden) {
            assertThat(all).as("an encoding of a secret").doesNotContain(secret);
        }
    }

    private static List<String> uri(String uri) {
        return List.of("provision", "--uri", uri);
    }

    /** {@code bin/otptoken ARGS} run in {@code cwd}. */
    private static Result inDir(Path cwd, Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd.toString(),
                Launchers.host().toString()));
        cmd.addAll(args);
        return Processes.run(cmd, env, null);
    }

    /** {@code NAME  CODE} lines as a map. */
    private static Map<String, String> columns(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            int cut = l.lastIndexOf("  ");
            m.put(l.substring(0, cut).trim(), l.substring(cut + 2).trim());
        }
        return m;
    }
}
