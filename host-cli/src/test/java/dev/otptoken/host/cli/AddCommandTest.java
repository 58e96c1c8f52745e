package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.ScriptedTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code add}, in-process against a scripted token in exact hex: the PUT of the right bytes,
 * the proving CALCULATE, and what happens before the token is opened when the input is wrong.
 */
class AddCommandTest {
    private static final String SELECT = "00 A4 04 00 07 A0 00 00 05 27 21 01";
    private static final String DEVICE_SELECT = "00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01";
    private static final String MANAGEMENT_SELECT = "00 A4 04 00 08 A0 00 00 05 27 47 11 17";
    private static final String SELECTED = "79 03 05 07 00 71 08 0102030405060708 90 00";
    private static final String LOCKED = "79 03 05 07 00 71 08 0102030405060708 74 08 a1a2a3a4a5a6a7a8 7B 01 01 90 00";
    private static final String LIST_EMPTY = "00 A1 00 00 00";
    /** RFC 4226's key, "12345678901234567890". */
    private static final String KEY_HEX = "3132333435363738393031323334353637383930";
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    /** The same key as a phone shows it: in groups of four, lower case. */
    private static final String B32_PHONE = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";
    private static final String ALICE = hex("Example:alice");
    private static final String PUT_ALICE = "00 01 00 00 27 71 0D " + ALICE + " 73 16 21 06 " + KEY_HEX;
    /** Step 1 of 30 s at t = 59; the token's SHA1 code 0x41397EEA -> 287082, the host's too. */
    private static final String PROVE_ALICE = "00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001";
    private static final String ALICE_CODE = "76 05 06 41397EEA 90 00";

    private final ScriptedTransport token = new ScriptedTransport();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int opened;

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private int run(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    private int run(ByteArrayInputStream stdin, String... args) {
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stdin,
                InstantSource.fixed(Instant.ofEpochSecond(59)), Map.of(HostMain.PORT_VARIABLE, "/dev/fake"), false,
                device -> {
                    opened++;
                    return token;
                });
        return HostMain.run(args, env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void writesAndProvesAlice() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect(LIST_EMPTY, "90 00").expect(PUT_ALICE, "90 00").expect(PROVE_ALICE, ALICE_CODE);
    }

    @Test
    void aSecretOnStandardInputInGroupsAndLowerCaseIsWrittenAndProvenWithTheDefaults() {
        writesAndProvesAlice();
        assertThat(run(B32_PHONE + "\n", "add", "--secret-stdin", "--issuer", "Example", "alice")).as(err()).isZero();
        assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (Example:alice)\n");
        assertThat(err().lines().filter(l -> l.contains("no --backup"))).hasSize(1);
        token.assertDone();
    }

    @Test
    void nameAsIssuerColonAccountIsTheSameAccountAndBlanksAroundTheSecretAreIgnored() {
        writesAndProvesAlice();
        assertThat(run("  \t" + B32.toLowerCase() + " \r\n", "add", "--secret-stdin", "Example:alice"))
                .as(err()).isZero();
        assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (Example:alice)\n");
        token.assertDone();
    }

    @Test
    void paddingIsOptional() {
        // "1234567890123456": 16 bytes are 26 Base32 characters, padded with six '='
        String key = "31323334353637383930313233343536";
        for (String secret : List.of("GEZDGNBVGY3TQOJQGEZDGNBVGY======", "gezdgnbvgy3tqojqgezdgnbvgy")) {
            out.reset();
            token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                    .expect(LIST_EMPTY, "90 00").expect("00 01 00 00 23 71 0D " + ALICE + " 73 12 21 06 " + key, "90 00")
                    .expect(PROVE_ALICE, "76 05 06 3D088E76 90 00");
            assertThat(run(secret + "\n", "add", "--secret-stdin", "Example:alice")).as(err()).isZero();
            assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (Example:alice)\n");
            token.assertDone();
        }
    }

    @Test
    void totpOptionsGoIntoTheNameTheTypeByteAndTheChallenge() {
        // period 60 is a name prefix; TOTP (2) SHA256 (2) is 22; 8 digits; touch is property 78 02;
        // t = 59 is step 0 of 60 s
        String carol = hex("60/Acme:carol");
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect(LIST_EMPTY, "90 00")
                .expect("00 01 00 00 29 71 0D " + carol + " 73 16 22 08 " + KEY_HEX + " 78 02", "90 00")
                .expect("00 A2 00 01 19 71 0D " + carol + " 74 08 0000000000000000", "76 05 08 7BAC175C 90 00");
        assertThat(run(B32 + "\n", "add", "--secret-stdin", "--issuer", "Acme", "--algorithm", "sha256",
                "--digits", "8", "--period", "60", "--touch", "carol")).as(err()).isZero();
        assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (Acme:carol)\n");
        assertThat(err()).contains("touch the token at /dev/fake to prove Acme:carol");
        token.assertDone();
    }

    @Test
    void hotpSendsItsCounterAsTheImfAndIsProvenWithAnEmptyChallenge() {
        // HOTP (1) SHA256 (2) is 12; 7 digits; counter 5 goes out as tag 7A; HMAC-SHA256 at 5 of the RFC key
        String bob = hex("bob");
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect(LIST_EMPTY, "90 00")
                .expect("00 01 00 00 23 71 03 " + bob + " 73 16 12 07 " + KEY_HEX + " 7A 04 00000005", "90 00")
                .expect("00 A2 00 01 07 71 03 " + bob + " 74 00", "76 05 07 0558AECD 90 00");
        assertThat(run(B32 + "\n", "add", "--secret-stdin", "--hotp", "--counter", "5", "--algorithm", "SHA256",
                "--digits", "7", "bob")).as(err()).isZero();
        assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (bob)\n");
        token.assertDone();
    }

    @Test
    void theSecretLineIsReadAloneSoThatAPasswordLineAfterItStaysUnread() {
        // the token is not locked: the password line is never needed, and must still be there, whole
        writesAndProvesAlice();
        ByteArrayInputStream stdin = new ByteArrayInputStream((B32 + "\nhunter2\n").getBytes(StandardCharsets.UTF_8));
        assertThat(run(stdin, "add", "--secret-stdin", "--password-stdin", "Example:alice")).as(err()).isZero();
        assertThat(new String(stdin.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hunter2\n");
        token.assertDone();
    }

    @Test
    void aLockedTokenWithAnEmptyPasswordLineAfterTheSecretIsAUsageErrorAndNothingIsWritten() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, LOCKED);
        assertThat(run(B32 + "\n\n", "add", "--secret-stdin", "--password-stdin", "Example:alice"))
                .isEqualTo(ExitStatus.USAGE);
        assertThat(err()).contains("no password on standard input");
        token.assertDone();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GEZDGNBV1Y3TQOJQ", "GEZ", "GE=ZDGNBV", "not a secret!", "", "   ", "====", "\u00e9\u00e9"})
    void anInvalidOrEmptySecretIsOneLineStatus3AndTheTokenIsNeverOpened(String secret) {
        assertThat(run(secret + "\n", "add", "--secret-stdin", "Example:alice")).as(err())
                .isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err().lines()).singleElement().asString().startsWith("otptoken: ");
        assertThat(out()).isEmpty();
        assertThat(opened).as("the token was opened").isZero();
        token.assertDone();
    }

    @Test
    void withoutATerminalAndWithoutSecretStdinItIsAUsageErrorThatSaysHowAndOpensNoToken() {
        assertThat(run(B32 + "\n", "add", "Example:alice")).isEqualTo(ExitStatus.USAGE);
        assertThat(err().lines()).singleElement().asString().startsWith("otptoken: ").contains("--secret-stdin");
        assertThat(opened).isZero();
    }

    @Test
    void theSecretIsNeverAnArgument() {
        assertThat(run("", "add", "--secret-stdin", "Example:alice", B32)).isEqualTo(ExitStatus.USAGE);
        assertThat(run("", "add", "--secret", B32, "Example:alice")).isEqualTo(ExitStatus.USAGE);
        assertThat(opened).isZero();
    }

    @Test
    void badOptionValuesAreRefusedBeforeTheSecretIsReadAndTheTokenOpened() {
        // standard input is empty: had the secret been read first, it would say "no secret"
        for (List<String> args : List.of(List.of("--digits", "9"), List.of("--digits", "5"), List.of("--period", "0"),
                List.of("--period", "3601"), List.of("--algorithm", "MD5"), List.of("--hotp", "--counter", "-1"),
                List.of("--hotp", "--counter", "4294967296"))) {
            err.reset();
            String[] line = java.util.stream.Stream.concat(java.util.stream.Stream.of("add", "--secret-stdin"),
                    java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("alice")))
                    .toArray(String[]::new);
            assertThat(run("", line)).as("%s: %s", args, err()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(err().lines()).as("%s", args).singleElement().asString().startsWith("otptoken: ")
                    .doesNotContain("no secret");
        }
        err.reset();
        assertThat(run("", "add", "--secret-stdin", "--counter", "3", "alice")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).contains("--hotp");
        err.reset();
        assertThat(run("", "add", "--secret-stdin", "--hotp", "--period", "60", "alice")).isEqualTo(ExitStatus.USAGE);
        err.reset();
        assertThat(run("", "add", "--secret-stdin", "x".repeat(65))).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).contains("64");
        err.reset();
        assertThat(run("", "add", "--secret-stdin", "Evil\u001b[2J:bob")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).doesNotContain("\u001b");
        // a name of spaces names nothing, as in an otpauth URI's label
        for (String[] line : new String[][] {{" "}, {"Example: "}, {"--issuer", " ", "bob"}}) {
            err.reset();
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("add", "--secret-stdin"),
                    java.util.Arrays.stream(line)).toArray(String[]::new);
            assertThat(run("", args)).as(String.join(" ", line)).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(err()).isIn("otptoken: missing account name\n",
                    "otptoken: empty issuer (leave out --issuer for none)\n");
        }
        assertThat(opened).isZero();
    }

    @Test
    void aNameAlreadyOnTheTokenIsRefusedBeforeAnyWriteUnlessOverwrite() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect(LIST_EMPTY, "72 0E 21 " + ALICE + " 90 00")
                .expect("00 A4 00 01 0A 74 08 0000000000000001", "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00");
        assertThat(run(B32 + "\n", "add", "--secret-stdin", "Example:alice")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err().lines()).as("the refusal alone, no backup warning for what is not written").singleElement()
                .asString().contains("already holds Example:alice (use --overwrite to replace it)");
        token.assertDone();

        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect(LIST_EMPTY, "72 0E 21 " + ALICE + " 90 00")
                .expect("00 A4 00 01 0A 74 08 0000000000000001", "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00")
                .expect(PUT_ALICE, "90 00").expect(PROVE_ALICE, ALICE_CODE);
        assertThat(run(B32 + "\n", "add", "--secret-stdin", "--overwrite", "Example:alice")).as(err()).isZero();
        token.assertDone();
    }

    @Test
    void theSecretAppearsNowhereAtMaximumVerbosityNotEvenWhenTheProofFails() {
        byte[] key = HexFormat.of().parseHex(KEY_HEX);
        SecretScanner scanner = new SecretScanner().secret("key", key).text("Base32", B32)
                .text("Base32 as typed", B32_PHONE);
        PrintStream systemErr = System.err;
        ByteArrayOutputStream jvmErr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(jvmErr, true, StandardCharsets.UTF_8));
        try {
            writesAndProvesAlice();
            assertThat(run(B32_PHONE + "\n", "-vv", "add", "--secret-stdin", "Example:alice")).isZero();
            // a proof that fails: the message and the stack trace (-vv) come out
            token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                    .expect(LIST_EMPTY, "90 00").expect(PUT_ALICE, "90 00").expect(PROVE_ALICE, "76 05 06 4C93CF18 90 00");
            assertThat(run(B32 + "\n", "-vv", "add", "--secret-stdin", "Example:alice"))
                    .isEqualTo(ExitStatus.NO_TOKEN);
            // an invalid secret: the position is named, not the text
            assertThat(run(B32.substring(0, 20) + "1" + B32.substring(21) + "\n", "-vv", "add", "--secret-stdin",
                    "Example:alice")).isEqualTo(ExitStatus.BAD_INPUT);
        } finally {
            System.setErr(systemErr);
        }
        assertThat(err()).contains("code differs from the host's", "\tat ", "not valid Base32");
        assertThat(scanner.scan("stdout", out.toByteArray())).isEmpty();
        assertThat(scanner.scan("stderr", err.toByteArray())).isEmpty();
        assertThat(scanner.scan("JVM stderr", jvmErr.toByteArray())).isEmpty();
    }
}
