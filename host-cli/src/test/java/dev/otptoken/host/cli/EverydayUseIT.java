package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.oathtool;
import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday commands as a user meets them, through the launchers against a simulator on a
 * pseudo-terminal: listing codes moves no counter and waits for no touch, names are unique,
 * an empty password is not a guess, secrets are not written where others can read them,
 * and one meaning has one message.
 */
class EverydayUseIT {
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String ALICE = "otpauth://totp/Example:alice?secret=" + B32 + "&issuer=Example";
    private static final String BOB = "otpauth://hotp/Example:bob?secret=" + B32 + "&issuer=Example&counter=5";
    private static final String ERIN = "otpauth://totp/Example:erin?secret=" + B32 + "&issuer=Example";

    @TempDir
    Path dir;

    private static Result ok(Map<String, String> env, String stdin, String... args) throws Exception {
        Result r = otptoken(env, stdin, args);
        assertThat(r.status()).as("otptoken %s: %s", List.of(args), r.err()).isZero();
        return r;
    }

    private static String hotp(long counter) throws Exception {
        return oathtool("--hotp", "-c", Long.toString(counter), "-b", B32);
    }

    @Test
    void codeWithoutAQueryMovesNoCounterAndWaitsForNoTouch() throws Exception {
        try (Sim sim = startSim()) {
            Map<String, String> env = port(sim);
            ok(env, null, "provision", "--uri", ALICE);
            ok(env, null, "provision", "--uri", BOB);
            sim.autoPress = true;
            ok(env, null, "provision", "--touch", "--uri", ERIN);
            sim.autoPress = false;
            int touches = sim.touches.get();

            for (int run = 0; run < 4; run++) {
                Result all = ok(env, null, "code");
                assertThat(all.outLines()).hasSize(3);
                assertThat(all.outLines().get(0)).matches("Example:alice  \\d{6}");
                assertThat(all.outLines()).contains("Example:bob    [HOTP]", "Example:erin   [touch]");
                assertThat(all.err()).doesNotContain("touch the token");
            }
            // a query of several accounts is the same rule
            assertThat(ok(env, null, "code", "example").outLines()).contains("Example:bob    [HOTP]");
            assertThat(sim.touches.get()).as("no touch was asked for").isEqualTo(touches);

            // selected alone, bob is computed: counter 6 still (provisioning proved him with 5), then 7
            assertThat(ok(env, null, "code", "Example:bob").out()).isEqualTo("Example:bob  " + hotp(6) + "\n");
            assertThat(ok(env, null, "code", "-s", "bob").out()).isEqualTo(hotp(7) + "\n");

            Result json = ok(env, null, "--json", "code");
            assertThat(json.out()).contains("\"name\":\"Example:alice\",\"type\":\"TOTP\",\"touch\":false,\"code\":\"")
                    .contains("\"valid_until\":")
                    .contains("{\"name\":\"Example:bob\",\"type\":\"HOTP\",\"touch\":null,\"code\":null}")
                    .contains("{\"name\":\"Example:erin\",\"type\":\"TOTP\",\"touch\":true,\"code\":null}");

            // a touch account selected alone and never touched: the token's limit passes, said in words
            Result late = otptoken(env, null, "code", "Example:erin");
            assertThat(late.status()).isEqualTo(ExitStatus.TOKEN_REFUSED);
            assertThat(late.errLines()).contains(
                    "otptoken: the token was not touched in time: no code for Example:erin (6985)");
            assertThat(late.out()).isEmpty();
        }
    }

    @Test
    void renameRefusesANameAnotherAccountHasAndNotFoundIsOneMessage() throws Exception {
        try (Sim sim = startSim()) {
            Map<String, String> env = port(sim);
            ok(env, null, "provision", "--uri", ALICE);
            ok(env, null, "provision", "--uri", "otpauth://totp/Acme:caroline?secret=" + B32 + "&issuer=Acme");

            Result clash = otptoken(env, null, "rename", "Acme:caroline", "Example:alice");
            assertThat(clash.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(clash.errLines()).containsExactly(
                    "otptoken: an account named 'Example:alice' already exists: rename or delete it first");
            assertThat(ok(env, null, "list").outLines()).extracting(l -> l.split(" ")[0])
                    .containsExactlyInAnyOrder("Example:alice", "Acme:caroline");

            String notFound = "otptoken: no account named 'carol' (see otptoken list)";
            for (List<String> args : List.of(List.of("delete", "carol"), List.of("rename", "carol", "Acme:carol"))) {
                Result r = otptoken(env, null, args.toArray(String[]::new));
                assertThat(r.status()).as("%s", args).isEqualTo(ExitStatus.BAD_INPUT);
                assertThat(r.errLines()).as("%s", args).containsExactly(notFound);
            }
        }
    }

    @Test
    void anEmptyPasswordIsAUsageErrorAndNeverAGuess() throws Exception {
        try (Sim sim = startSim()) {
            Map<String, String> env = port(sim);
            ok(env, null, "provision", "--uri", ALICE);
            ok(env, "s3cret\n", "password", "set", "--password-stdin");

            for (String stdin : List.of("", "\n", "\r\n")) {
                Result empty = otptoken(env, stdin, "-vv", "list", "--password-stdin");
                assertThat(empty.status()).as("stdin %s", stdin.length()).isEqualTo(ExitStatus.USAGE);
                assertThat(empty.errLines()).anyMatch(l -> l.startsWith("otptoken: no password on standard input"));
                // the trace shows every APDU sent: no VALIDATE (INS A3) reached the token
                assertThat(empty.err()).doesNotContain("> 00 A3").contains("> 00 A4");
            }
            // the same trace of a wrong password does show the VALIDATE: the check above can see one
            Result wrong = otptoken(env, "wrong\n", "-vv", "list", "--password-stdin");
            assertThat(wrong.status()).isEqualTo(ExitStatus.PASSWORD);
            assertThat(wrong.err()).contains("> 00 A3");
            assertThat(ok(env, "s3cret\n", "list", "--password-stdin").out()).startsWith("Example:alice");
        }
    }

    @Test
    void qrImagesAreTheOwnersAloneAndStandardStreamsWork() throws Exception {
        Path png = dir.resolve("alice.png");
        Result made = ok(Map.of(), null, "qr", "encode", "--uri", ALICE, "--out", png.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(png))).isEqualTo("rw-------");
        assertThat(made.err()).contains("0600");
        // an existing file readable by all is narrowed before the image goes in
        Path old = dir.resolve("old.png");
        Files.writeString(old, "x");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        ok(Map.of(), null, "qr", "encode", "--uri", ALICE, "--out", old.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-------");

        // --out - writes the PNG to standard output and makes no file named '-'
        Path piped = dir.resolve("piped.png");
        Result toStdout = Processes.run(List.of("bash", "-c", "cd '" + dir + "' && '" + Launchers.host()
                + "' qr encode --uri '" + ALICE + "' --out - > piped.png"), Map.of(), null);
        assertThat(toStdout.status()).as(toStdout.err()).isZero();
        assertThat(dir.resolve("-")).doesNotExist();
        assertThat(Arrays.copyOf(Files.readAllBytes(piped), 4)).containsExactly(0x89, 'P', 'N', 'G');
        assertThat(ok(Map.of(), null, "qr", "decode", piped.toString()).out()).contains("Example:alice");

        // provision --uri - reads the URI from standard input; a password line may follow it
        try (Sim sim = startSim()) {
            Map<String, String> env = port(sim);
            ok(env, null, "provision", "--uri", ALICE);
            ok(env, "s3cret\n", "password", "set", "--password-stdin");
            Result fromStdin = ok(env, BOB + "\ns3cret\n", "provision", "--uri", "-", "--password-stdin");
            assertThat(fromStdin.out()).contains("1 of 1 accounts in and proven");
            assertThat(ok(env, "s3cret\n", "list", "--password-stdin").outLines()).anyMatch(l -> l.startsWith("Example:bob"));

            Result notAUri = otptoken(env, "https://example.com/\n", "provision", "--uri", "-");
            assertThat(notAUri.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(notAUri.errLines()).singleElement().asString().contains("not an otpauth URI")
                    .doesNotContain("QR code");
        }
    }

    @Test
    void helpMistypedCommandsAndGlobalOptionsAfterTheCommand() throws Exception {
        Result help = ok(Map.of(), null, "help", "code");
        assertThat(help.out()).isEqualTo(ok(Map.of(), null, "code", "--help").out()).contains("Exit status: ");

        Result typo = otptoken(Map.of(), null, "cod");
        assertThat(typo.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(typo.errLines()).containsExactly("otptoken: unknown command 'cod' (did you mean 'code'?)",
                "otptoken: see 'otptoken --help'");
        assertThat(typo.out()).isEmpty();

        try (Sim sim = startSim()) {
            String device = port(sim).get("OTPTOKEN_PORT");
            ok(Map.of(), null, "provision", "--uri", ALICE, "--port", device);
            Result before = ok(Map.of(), null, "--port", device, "--json", "list");
            assertThat(ok(Map.of(), null, "list", "--json", "--port", device).out()).isEqualTo(before.out())
                    .startsWith("{\"accounts\":[{\"name\":\"Example:alice\"");
        }
    }
}
