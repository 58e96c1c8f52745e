package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.otpauth.MigrationPayloadTest;
import dev.otptoken.host.session.ScriptedTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output formats and exit statuses of commands, in-process, against a scripted token in exact hex. */
class CliOutputTest {
    private static final String SELECT = "00 A4 04 00 07 A0 00 00 05 27 21 01";
    private static final String DEVICE_SELECT = "00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01";
    /** A token without the device applet is asked for the management application next (a YubiKey's). */
    private static final String MANAGEMENT_SELECT = "00 A4 04 00 08 A0 00 00 05 27 47 11 17";
    private static final String SELECTED = "79 03 05 07 00 71 08 0102030405060708 90 00";
    private static final String ALICE = "4578616d706c653a616c696365";
    private static final String BOB = HexFormat.of().formatHex("60/Acme:bob".getBytes(StandardCharsets.US_ASCII));
    private static final String LIST = "72 0E 21 " + ALICE + " 72 0C 22 " + BOB + " 90 00";
    private static final String CALCULATE_ALL = "00 A4 00 01 0A 74 08 0000000000000001";
    private static final String ALL = "71 0D " + ALICE + " 76 05 06 4C93CF18 71 0B " + BOB + " 7C 01 08 90 00";

    private final ScriptedTransport token = new ScriptedTransport();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.ofEpochSecond(59)), Map.of(HostMain.PORT_VARIABLE, "/dev/fake"), false,
                device -> token);
        return HostMain.run(args, env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void listed() {
        token.expect(SELECT, SELECTED).expect("00 A1 00 00 00", LIST).expect(CALCULATE_ALL, ALL);
    }

    @Test
    void listPrintsColumnsAndTouch() {
        listed();
        assertThat(run("list")).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  TOTP  SHA1    6  30\nAcme:bob       TOTP  SHA256  8  60  touch\n");
        token.assertDone();
    }

    @Test
    void listAsJson() {
        listed();
        assertThat(run("--json", "list")).as(err()).isZero();
        assertThat(out().trim()).isEqualTo("{\"accounts\":["
                + "{\"name\":\"Example:alice\",\"issuer\":\"Example\",\"account\":\"alice\",\"type\":\"TOTP\","
                + "\"algorithm\":\"SHA1\",\"digits\":6,\"period\":30,\"touch\":false},"
                + "{\"name\":\"Acme:bob\",\"issuer\":\"Acme\",\"account\":\"bob\",\"type\":\"TOTP\","
                + "\"algorithm\":\"SHA256\",\"digits\":8,\"period\":60,\"touch\":true}]}");
    }

    @Test
    void codeOfA30SecondAccountComesFromCalculateAllAtTheHostTimeStep() {
        listed();
        assertThat(run("code", "alice")).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  755224\n");
        token.assertDone();
    }

    @Test
    void codeWithoutAQueryNamesTouchAccountsWithoutComputingThem() {
        listed();
        // no CALCULATE follows CALCULATE ALL: bob needs a touch, so he is named, not computed
        assertThat(run("code")).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  755224\nAcme:bob       [touch]\n");
        assertThat(err()).isEmpty();
        token.assertDone();
    }

    @Test
    void codeNamesHotpAccountsWithoutMovingTheirCounterUnlessSelectedAlone() {
        String carol = HexFormat.of().formatHex("carol".getBytes(StandardCharsets.US_ASCII));
        String list = "72 0E 21 " + ALICE + " 72 06 11 " + carol + " 90 00";
        String all = "71 0D " + ALICE + " 76 05 06 4C93CF18 71 05 " + carol + " 77 01 06 90 00";
        token.expect(SELECT, SELECTED).expect("00 A1 00 00 00", list).expect(CALCULATE_ALL, all);
        assertThat(run("code", "a")).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  755224\ncarol          [HOTP]\n");
        token.assertDone();

        out.reset();
        token.expect(SELECT, SELECTED).expect("00 A1 00 00 00", list).expect(CALCULATE_ALL, all);
        token.expect("00 A2 00 01 09 71 05 " + carol + " 74 00", "76 05 06 4C93CF18 90 00");
        assertThat(run("code", "carol")).as(err()).isZero();
        assertThat(out()).isEqualTo("carol  755224\n");
        token.assertDone();
    }

    @Test
    void onATerminalEachTotpCodeSaysHowLongItStaysValid() {
        // t = 41: alice's 30-second code (step 1, CALCULATE ALL's step too) is valid until t = 60
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.ofEpochSecond(41)), Map.of(HostMain.PORT_VARIABLE, "/dev/fake"), true,
                device -> token);
        token.expect(SELECT, SELECTED).expect("00 A1 00 00 00", LIST).expect(CALCULATE_ALL, ALL);
        assertThat(HostMain.run(new String[] {"code"}, env)).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  755224   19s\nAcme:bob       [touch]\n");
    }

    @Test
    void singlePrintsTheCodeAloneAndRefusesAQueryOfSeveralAccounts() {
        listed();
        assertThat(run("code", "-s", "alice")).as(err()).isZero();
        assertThat(out()).isEqualTo("755224\n");
        token.assertDone();

        out.reset();
        listed();
        assertThat(run("--json", "code", "-s", "alice")).as(err()).isZero();
        assertThat(out()).as("a JSON document, not the bare code").isEqualTo("{\"codes\":[{\"name\":\"Example:alice\","
                + "\"type\":\"TOTP\",\"touch\":false,\"code\":\"755224\",\"valid_from\":\"1970-01-01T00:00:30Z\","
                + "\"valid_until\":\"1970-01-01T00:01:00Z\"}]}\n");
        token.assertDone();

        out.reset();
        listed();
        assertThat(run("code", "--single", "e")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: 'e' matches 2 accounts: Example:alice, Acme:bob\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void codeOfATouchAccountHintsOnStandardError() {
        listed();
        // 60-second period: step 0 at t = 59
        token.expect("00 A2 00 01 17 71 0B " + BOB + " 74 08 0000000000000000", "76 05 08 4C93CF18 90 00");
        assertThat(run("--json", "code", "bob")).as(err()).isZero();
        assertThat(err()).contains("touch the token");
        assertThat(out().trim()).isEqualTo("{\"codes\":[{\"name\":\"Acme:bob\",\"type\":\"TOTP\",\"touch\":true,"
                + "\"code\":\"84755224\",\"valid_from\":\"1970-01-01T00:00:00Z\","
                + "\"valid_until\":\"1970-01-01T00:01:00Z\"}]}");
    }

    @Test
    void aTouchNotGivenInTimeIsSaidInWordsWithStatus5() {
        listed();
        token.expect("00 A2 00 01 17 71 0B " + BOB + " 74 08 0000000000000000", "69 85");
        assertThat(run("code", "Acme:bob")).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(err()).endsWith("otptoken: the token was not touched in time: no code for Acme:bob (6985)\n");
        assertThat(out()).isEmpty();
    }

    /** "Steam:alice" (TOTP SHA-1) and "Steam:touchy" (touch). */
    private static final String STEAM = "537465616d3a616c696365";
    private static final String STEAM_TOUCH = "537465616d3a746f75636879";
    private static final String STEAM_LIST = "72 0E 21 " + ALICE + " 72 0C 21 " + STEAM + " 72 0D 21 " + STEAM_TOUCH
            + " 90 00";
    private static final String STEAM_ALL = "71 0D " + ALICE + " 76 05 06 4C93CF18 71 0B " + STEAM
            + " 76 05 06 41397EEA 71 0C " + STEAM_TOUCH + " 7C 01 06 90 00";
    /** Full-response CALCULATE of Steam:alice at the host's step 1 (t = 59): ykman's calculate_steam. */
    private static final String STEAM_CALCULATE = "00 A2 00 00 17 71 0B " + STEAM + " 74 08 0000000000000001";
    /** HMAC-SHA1 of the RFC 4226 key at counter 1; its truncation 0x41397EEA is PV9M4 in Steam's alphabet. */
    private static final String STEAM_FULL = "75 15 06 75a48a19d4cbe100644e8ac1397eea747a2d33ab 90 00";

    private void steamListed() {
        token.expect(SELECT, SELECTED).expect("00 A1 00 00 00", STEAM_LIST).expect(CALCULATE_ALL, STEAM_ALL);
    }

    @Test
    void aSteamAccountShowsFiveCharactersFromAFullResponseCalculate() {
        steamListed();
        token.expect(STEAM_CALCULATE, STEAM_FULL);
        assertThat(run("code")).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  755224\nSteam:alice    PV9M4\nSteam:touchy   [touch]\n");
        token.assertDone();
    }

    @Test
    void aSteamAccountsCodeAloneAndAsJson() {
        steamListed();
        token.expect(STEAM_CALCULATE, STEAM_FULL);
        assertThat(run("code", "-s", "Steam:alice")).as(err()).isZero();
        assertThat(out()).isEqualTo("PV9M4\n");
        token.assertDone();

        out.reset();
        steamListed();
        token.expect(STEAM_CALCULATE, STEAM_FULL);
        assertThat(run("--json", "code", "Steam:alice")).as(err()).isZero();
        assertThat(out().trim()).isEqualTo("{\"codes\":[{\"name\":\"Steam:alice\",\"type\":\"TOTP\",\"touch\":false,"
                + "\"code\":\"PV9M4\",\"valid_from\":\"1970-01-01T00:00:30Z\","
                + "\"valid_until\":\"1970-01-01T00:01:00Z\"}]}");
        token.assertDone();
    }

    @Test
    void aTouchSteamAccountSelectedAloneWaitsForTheTouchOnItsFullResponseCalculate() {
        steamListed();
        token.expect("00 A2 00 00 18 71 0C " + STEAM_TOUCH + " 74 08 0000000000000001", STEAM_FULL);
        assertThat(run("code", "touchy")).as(err()).isZero();
        assertThat(err()).contains("touch the token");
        assertThat(out()).isEqualTo("Steam:touchy  PV9M4\n");
        token.assertDone();
    }

    @Test
    void aSteamAccountOnTheTokenClockSendsAnEmptyChallengeForTheFullResponse() {
        token.expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", info(1, 32));
        steamListed();
        token.expect("00 A2 00 00 0F 71 0B " + STEAM + " 74 00", STEAM_FULL);
        assertThat(run("code", "--token-clock", "Steam:alice")).as(err()).isZero();
        assertThat(out()).isEqualTo("Steam:alice  PV9M4\n");
        token.assertDone();
    }

    @Test
    void tokenClockSendsAnEmptyChallenge() {
        // the device applet says the token has a clock (features 1F: rtc among them)
        token.expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", info(1, 32));
        listed();
        token.expect("00 A2 00 01 11 71 0D " + ALICE + " 74 00", "76 05 06 4C93CF18 90 00");
        assertThat(run("code", "--token-clock", "Example:alice")).as(err()).isZero();
        assertThat(out()).isEqualTo("Example:alice  755224\n");
        token.assertDone();
    }

    /**
     * A YubiKey has no clock (no device applet: 6A82): given the empty challenge it would
     * answer a code of no time at all, so --token-clock is refused before the OATH applet is
     * asked anything.
     */
    /** clock, clock sync and calibrate on a token without the device applet say it has no clock. */
    @ParameterizedTest
    @ValueSource(strings = {"clock", "clock sync", "calibrate --duration 5s"})
    void clockCommandsOnATokenWithoutAClockSaySo(String line) {
        token.expect(DEVICE_SELECT, "6A 82");
        assertThat(run(line.split(" "))).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(err()).isEqualTo("otptoken: this token has no clock of its own (no otptoken device applet:"
                + " a YubiKey?) (6A82)\n");
        token.assertDone();
    }

    @Test
    void tokenClockOnATokenWithoutAClockIsAUsageError() {
        token.expect(DEVICE_SELECT, "6A 82");
        assertThat(run("code", "--token-clock", "Example:alice")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: --token-clock: this token has no clock of its own (a YubiKey has"
                + " none); leave it out to use the host's time\n");
        assertThat(out()).isEmpty();
        token.assertDone();
    }

    @Test
    void deleteAndRenameOfAnUnknownNameSayTheSameWithStatus3WithoutAskingTheToken() {
        listed();
        assertThat(run("delete", "bob")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: no account named 'bob' (see otptoken list)\n");
        token.assertDone();

        err.reset();
        listed();
        assertThat(run("rename", "bob", "Acme:robert")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: no account named 'bob' (see otptoken list)\n");
        token.assertDone();
    }

    @Test
    void renameToANameAnotherAccountHasIsRefusedBeforeTheTokenIsAsked() {
        String carol = HexFormat.of().formatHex("Example:carol".getBytes(StandardCharsets.US_ASCII));
        token.expect(SELECT, SELECTED)
                .expect("00 A1 00 00 00", "72 0E 21 " + ALICE + " 72 0E 21 " + carol + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 71 0D " + carol + " 76 05 06 4C93CF18 90 00");
        assertThat(run("rename", "Example:carol", "Example:alice")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: an account named 'Example:alice' already exists: rename or delete it"
                + " first\n");
        token.assertDone();
    }

    /** Renaming an account to the name it has writes nothing and is no clash: it already is so. */
    @Test
    void renameToTheNameTheAccountHasChangesNothing() {
        listed();
        assertThat(run("rename", "Example:alice", "Example:alice")).isEqualTo(ExitStatus.OK);
        assertThat(err()).isEqualTo("otptoken: Example:alice already has that name; nothing was changed\n");
        assertThat(out()).isEmpty();
        token.assertDone();
    }

    /**
     * An account stored with the default period spelled out ("30/Example:alice", as another
     * client may write it) shows as Example:alice; renaming it to that name is no clash with
     * itself: it is stored under the plain name.
     */
    @Test
    void renameOfAnAccountToItsShownNameIsNoClashWithItself() {
        String spelled = HexFormat.of().formatHex("30/Example:alice".getBytes(StandardCharsets.US_ASCII));
        token.expect(SELECT, SELECTED)
                .expect("00 A1 00 00 00", "72 11 21 " + spelled + " 90 00")
                .expect(CALCULATE_ALL, "71 10 " + spelled + " 76 05 06 4C93CF18 90 00")
                .expect("00 05 00 00 21 71 10 " + spelled + " 71 0D " + ALICE, "90 00");
        assertThat(run("rename", "Example:alice", "Example:alice")).as(err()).isEqualTo(ExitStatus.OK);
        assertThat(err()).isEqualTo("otptoken: renamed Example:alice to Example:alice\n");
        token.assertDone();
    }

    @Test
    void aLockedTokenWithoutAPasswordSourceIsStatus6() {
        token.expect(SELECT, "79 03 05 07 00 71 08 0102030405060708 74 08 a1a2a3a4a5a6a7a8 7B 01 01 90 00");
        assertThat(run("list")).isEqualTo(ExitStatus.PASSWORD);
        assertThat(err().lines()).singleElement().asString().startsWith("otptoken: password required");
    }

    @Test
    void anEmptyPasswordOnStandardInputIsAUsageErrorAndNeverReachesTheToken() {
        // standard input is empty: no VALIDATE may follow the SELECT, or it would count as a wrong guess
        token.expect(SELECT, "79 03 05 07 00 71 08 0102030405060708 74 08 a1a2a3a4a5a6a7a8 7B 01 01 90 00");
        assertThat(run("list", "--password-stdin")).isEqualTo(ExitStatus.USAGE);
        assertThat(err().lines()).singleElement().asString().startsWith("otptoken: no password on standard input");
        token.assertDone();
    }

    @Test
    void clockAsJsonPutsTokenTimeBesideHostTime() {
        token.expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00");
        // token reads 61.5 s, host 59 s: offset +2.5 s
        token.expect("80 10 00 00 00", "10 08 0000000003AA6A60 11 02 0003 12 04 000E8D4A 13 04 FE01 0200"
                + " 14 08 0000000000000000 90 00");
        assertThat(run("--json", "clock")).as(err()).isZero();
        assertThat(out().trim()).isEqualTo("{\"token_time\":\"1970-01-01T00:01:01.500Z\",\"host_time\":"
                + "\"1970-01-01T00:00:59Z\",\"offset_seconds\":2.5,\"trim\":3,\"trim_ppm\":2.861022,"
                + "\"trim_min\":-511,\"trim_max\":512,\"last_set\":null}");
    }

    /** A token whose firmware has no GET COMPENSATION (6D00) shows the clock as before, no forecast. */
    @Test
    void clockOfATokenWithoutCompensationIsAsBefore() {
        token.expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00");
        token.expect("80 10 00 00 00", "10 08 0000000003AA6A60 11 02 0003 12 04 000E8D4A 13 04 FE01 0200"
                + " 14 08 0000000000000000 90 00");
        token.expect("80 13 00 00 00", "6D 00");
        assertThat(run("clock")).as(err()).isZero();
        assertThat(out().lines()).containsExactly("token   1970-01-01T00:01:01.500Z", "host    1970-01-01T00:00:59Z",
                "offset  +2.500 s", "trim    3 (+2.861 ppm)", "set     never");
        token.assertDone();
    }

    @Test
    void backwardsClockSyncIsRefusedWith6985AndStatus5() {
        token.expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00");
        // the token is 2.5 s ahead: setting it to the host's time would move it backwards
        token.expect("80 10 00 00 00", "10 08 0000000003AA6A60 11 02 0003 12 04 000E8D4A 13 04 FE01 0200"
                + " 14 08 0000000000000000 90 00");
        token.expect("80 11 00 00 0A 10 08 00000000038444C0", "69 85");
        assertThat(run("clock", "sync")).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(err()).isEqualTo("otptoken: the token clock is 2.500 s ahead of the host's and goes back only"
                + " with --force (codes it has shown may then show again) (6985)\n");
    }

    /** The token reads 58 s, the host 59 s: a sync sets 59 s (the fixed host clock has no round trip). */
    private static final String GET_CLOCK_BEHIND = "10 08 0000000003750280 11 02 0003 12 04 000E8D4A 13 04 FE01 0200 14 08 0000000000000000 90 00";
    private static final String SET_CLOCK_59 = "80 11 00 00 0A 10 08 00000000038444C0";

    @Test
    void aSyncOfATokenBehindWhoseSetArrivedLateMeasuresAgainInsteadOfCallingItAhead() {
        token.expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00");
        token.expect("80 10 00 00 00", GET_CLOCK_BEHIND);
        // the SET took longer than the GET's half round trip: the token was past 59 s when it came
        token.expect(SET_CLOCK_59, "69 85");
        // measured again: 59.001 s, within the tolerance
        token.expect("80 10 00 00 00", "10 08 00000000038448A8 11 02 0003 12 04 000E8D4A 13 04 FE01 0200 14 08 0000000000000000 90 00");
        assertThat(run("clock", "sync")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: the token clock is already in sync with the host\n");
        assertThat(out().lines()).contains("offset  +0.001 s");
        token.assertDone();
    }

    @Test
    void aSyncWhoseSetKeepsArrivingLateIsRefusedSayingSoNotThatTheTokenIsAhead() {
        token.expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00");
        for (int i = 0; i < 3; i++) {
            token.expect("80 10 00 00 00", GET_CLOCK_BEHIND);
            token.expect(SET_CLOCK_59, "69 85");
        }
        assertThat(run("clock", "sync")).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(err()).isEqualTo("otptoken: the token clock read 1.000 s behind the host's, but the time sent"
                + " reached it late 3 times (a busy line or host): try again (6985)\n");
        token.assertDone();
    }

    @Test
    void resetWithoutForceNeverOpensTheToken() {
        assertThat(run("reset")).isEqualTo(ExitStatus.USAGE);
        token.assertDone();
    }
    private static final String URI = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Example";
    private static final String PUT_ALICE = "00 01 00 00 27 71 0D " + ALICE
            + " 73 16 21 06 3132333435363738393031323334353637383930";

    @Test
    void provisionWritesProvesAndReportsWithTheNoBackupWarning() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00").expect(PUT_ALICE, "90 00");
        // RFC 6238 T = 59: 0x41397EEA -> 287082, what the host computes too
        token.expect("00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001", "76 05 06 41397EEA 90 00");
        assertThat(run("provision", "--uri", URI)).as(err()).isZero();
        assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (Example:alice)\n");
        assertThat(err().lines().filter(l -> l.contains("no --backup"))).hasSize(1);
        token.assertDone();
    }

    /** Code 1 of a Google Authenticator export of 2 holds alice: stderr names code 2, then the backup warning. */
    @Test
    void provisionOfOneCodeOfATwoCodeExportWarnsOfTheOther() throws Exception {
        String first = MigrationPayloadTest.uri(MigrationPayloadTest.payload(2, 0, 99, MigrationPayloadTest.otp(
                "12345678901234567890".getBytes(StandardCharsets.US_ASCII), "alice", "Example", 1, 1, 2, 0)));
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00").expect(PUT_ALICE, "90 00");
        token.expect("00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001", "76 05 06 41397EEA 90 00");
        assertThat(run("provision", "--uri", first)).as(err()).isZero();
        assertThat(out()).isEqualTo("/dev/fake: 1 of 1 accounts in and proven (Example:alice)\n");
        assertThat(err().lines()).containsExactly("otptoken: --uri: migration batch 1 of 2: 1 account",
                "otptoken: warning: QR code 2 of 2 of a Google Authenticator export is not in the input: provision it"
                        + " too if its accounts are not on the token yet",
                ProvisionText.NO_BACKUP);
        token.assertDone();
    }

    @Test
    void aCodeThatDiffersFromTheHostsFailsTheProofAndSaysWhatTheTokenHolds() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00").expect(PUT_ALICE, "90 00");
        token.expect("00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001", "76 05 06 4C93CF18 90 00");
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err()).contains("provisioning stopped at /dev/fake",
                "/dev/fake: 0 of 1 accounts in and proven; written, NOT proven: Example:alice",
                "code differs from the host's");
    }

    @Test
    void aPutTheTokenCouldNotSaveIsReportedForTheAccountAs6581() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00")
                .expect(PUT_ALICE, "65 81");
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(out()).isEmpty();
        assertThat(err()).contains("otptoken: provisioning stopped at /dev/fake; what each token holds now:\n"
                + "otptoken:   /dev/fake: 0 of 1 accounts in and proven; not written: Example:alice;"
                + " failed at Example:alice: the token's memory failed to write (6581): its last change was undone\n"
                + "otptoken: the token's memory failed to write (6581): its last change was undone\n");
        assertThat(err()).doesNotContain("unknown status");
        token.assertDone();
    }

    @Test
    void aNameAlreadyOnTheTokenIsRefusedBeforeAnyWrite() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "72 0E 21 " + ALICE + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00");
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err().lines()).singleElement().asString().contains("already holds Example:alice");
        token.assertDone();
    }

    @Test
    void overwriteOfTheSameStoredNameIsOnePutWithoutDelete() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "72 0E 21 " + ALICE + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00")
                .expect(PUT_ALICE, "90 00")
                .expect("00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001", "76 05 06 41397EEA 90 00");
        assertThat(run("provision", "--overwrite", "--uri", URI)).as(err()).isZero();
        token.assertDone();
    }

    /** GET INFO of a token that holds {@code capacity} accounts at most, {@code used} of them in use. */
    private static String info(int used, int capacity) {
        return String.format("01 04 00000001 02 03 000100 03 04 00000000 04 04 00008000 05 02 %04X 06 02 %04X"
                + " 07 04 0000001F 90 00", used, capacity);
    }

    @Test
    void moreAccountsThanTheTokenHasRoomForAreRefusedBeforeAnyWrite() {
        token.expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", info(1, 1))
                .expect(SELECT, SELECTED).expect("00 A1 00 00 00", "72 0C 22 " + BOB + " 90 00")
                .expect(CALCULATE_ALL, "71 0B " + BOB + " 7C 01 08 90 00");
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.BAD_INPUT);
        // the refusal alone: no warning about a backup for secrets that are not written
        assertThat(err().lines()).containsExactly("otptoken: /dev/fake has room"
                + " for 0 more accounts (1 of 1 in use) and the input adds 1; nothing was written");
        assertThat(out()).isEmpty();
        token.assertDone();
    }

    @Test
    void anOverwriteNeedsNoFreeSlot() {
        token.expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", info(1, 1))
                .expect(SELECT, SELECTED).expect("00 A1 00 00 00", "72 0E 21 " + ALICE + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00")
                .expect(PUT_ALICE, "90 00")
                .expect("00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001", "76 05 06 41397EEA 90 00");
        assertThat(run("provision", "--overwrite", "--uri", URI)).as(err()).isZero();
        token.assertDone();
    }

    @Test
    void aPutWhoseAnswerIsLostIsAskedAgainAndReportedAsWrittenWhenTheTokenHoldsIt() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00")
                .expect(PUT_ALICE, ScriptedTransport.DEAD_LINE)
                // the host opens the token again and lists what it holds
                .expect(SELECT, SELECTED).expect("00 A1 00 00 00", "72 0E 21 " + ALICE + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00");
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err()).contains("/dev/fake: 0 of 1 accounts in and proven; written, NOT proven: Example:alice")
                .doesNotContain("not written");
        token.assertDone();
    }

    @Test
    void aPutWhoseAnswerIsLostStaysUnknownWhenTheTokenCannotBeAskedAgain() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00")
                .expect(PUT_ALICE, ScriptedTransport.DEAD_LINE)
                .expect(SELECT, ScriptedTransport.DEAD_LINE);
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err()).contains("/dev/fake: 0 of 1 accounts in and proven; unknown (the token did not answer):"
                + " Example:alice — check with 'otptoken list'").doesNotContain("not written");
        token.assertDone();
    }

    @Test
    void aPutTheTokenRefusesIsNotWritten() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect("00 A1 00 00 00", "90 00")
                .expect(PUT_ALICE, "6A 84");
        assertThat(run("provision", "--uri", URI)).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(err()).contains("/dev/fake: 0 of 1 accounts in and proven; not written: Example:alice; failed at"
                + " Example:alice: the token refused: 6A84").doesNotContain("unknown", "written,");
        token.assertDone();
    }

    @Test
    void namesFromTheTokenReachTheTerminalEscaped() {
        // written by another client: ESC sequences, a line feed that would forge a second line, a bidi override
        String evil = HexFormat.of().formatHex("\u001b[2J\u001b]0;owned\u0007:x\ny\u202e".getBytes(StandardCharsets.UTF_8));
        int len = evil.length() / 2;
        token.expect(SELECT, SELECTED)
                .expect("00 A1 00 00 00", String.format("72 %02X 21 %s 90 00", len + 1, evil))
                .expect(CALCULATE_ALL, String.format("71 %02X %s 76 05 06 4C93CF18 90 00", len, evil));
        assertThat(run("list")).as(err()).isZero();
        assertThat(out()).isEqualTo("\\x1b[2J\\x1b]0;owned\\x07:x\\x0ay\\u202e  TOTP  SHA1  6  30\n");
        assertThat(out()).doesNotContain("\u001b", "\u202e", "\u0007");
    }

    @Test
    void aNameWithAControlCharacterIsRefusedBeforeTheTokenIsOpened() {
        assertThat(run("provision", "--uri", "otpauth://totp/Evil%1B%5B2J:bob?secret=GEZDGNBVGY3TQOJQ"))
                .isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: issuer Evil\\x1b[2J contains the control character \\x1b\n");
        assertThat(run("rename", "alice", "new\nname")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).endsWith("otptoken: new name new\\x0aname contains the control character \\x0a\n");
        token.assertDone();
    }

    @Test
    void aNameWhosePrefixIsNotAPositivePeriodIsANameWithTheDefaultPeriod() {
        // "0/x", as another client may write it: not period 0 (the host divided by it and exited 70)
        token.expect(SELECT, SELECTED).expect("00 A1 00 00 00", "72 04 21 302F78 90 00")
                .expect(CALCULATE_ALL, "71 03 302F78 76 05 06 4C93CF18 90 00")
                // step 1 of a 30-second period at t = 59
                .expect("00 A2 00 01 0F 71 03 302F78 74 08 0000000000000001", "76 05 06 4C93CF18 90 00");
        assertThat(run("code")).as(err()).isZero();
        assertThat(out()).isEqualTo("0/x  755224\n");
    }

    @Test
    void clockJsonRoundsTheOffsetToTheMicrosecond() {
        token.expect(DEVICE_SELECT, "90 00");
        // token reads 58.7 s, host 59 s: the offset is -0.3 s, not the double -1 + 0.7 = -0.30000000000000004
        token.expect("80 10 00 00 00", "10 08 00000000037FB0E0 11 02 0003 12 04 000E8D4A 13 04 FE01 0200"
                + " 14 08 0000000000000000 90 00");
        assertThat(run("clock", "--json")).as(err()).isZero();
        assertThat(out().trim()).contains("\"offset_seconds\":-0.3,\"trim\":3,\"trim_ppm\":2.861022,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--json delete Example:alice", "rename Example:alice Example:bob --json",
        "reset --force --json", "password set --json", "password clear --json", "password unlock --json",
        "demo --json", "qr encode --uri otpauth://totp/x?secret=GEZDGNBV --out - --json"})
    void jsonIsRefusedByCommandsWithoutADocumentBeforeAnythingIsDone(String line) {
        assertThat(run(line.split(" "))).isEqualTo(ExitStatus.USAGE);
        String command = line.replace("--json ", "").split(" --| Example| otpauth")[0];
        assertThat(err().lines()).containsExactly("otptoken: " + command + " has no JSON output (--json is for"
                + " provision, add, list, code, info, devices, clock, calibrate, drift and qr decode)",
                "otptoken: see 'otptoken " + command + " --help'");
        assertThat(out()).isEmpty();
        token.assertDone();
    }

    private static Path image(String name) {
        try {
            return Path.of(CliOutputTest.class.getResource("/qr/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void qrDecodeAsJsonShowsEachSecretsLengthAlone() {
        String totp = image("totp.png").toString();
        String hotp = image("hotp.png").toString();
        assertThat(run("qr", "decode", "--json", totp, hotp)).as(err()).isZero();
        assertThat(out()).isEqualTo("{\"images\":["
                + "{\"image\":\"" + totp + "\",\"accounts\":[{\"name\":\"Example:alice@example.com\",\"issuer\":\"Example\","
                + "\"account\":\"alice@example.com\",\"type\":\"TOTP\",\"algorithm\":\"SHA1\",\"digits\":6,\"period\":30,"
                + "\"secret_bytes\":10}],\"migration\":[]},"
                + "{\"image\":\"" + hotp + "\",\"accounts\":[{\"name\":\"Example:bob\",\"issuer\":\"Example\","
                + "\"account\":\"bob\",\"type\":\"HOTP\",\"algorithm\":\"SHA1\",\"digits\":8,\"counter\":5,"
                + "\"secret_bytes\":20}],\"migration\":[]}]}\n");
        assertThat(out()).doesNotContain("JBSWY3DPEHPK3PXP", "GEZDGNBV", "secret=");
        assertThat(err()).isEmpty();

        out.reset();
        assertThat(run("--json", "qr", "decode", image("migration.png").toString())).as(err()).isZero();
        assertThat(out()).contains("\"name\":\"Example:alice@example.com\"", "\"name\":\"bob\"",
                "\"skipped\":[{\"name\":\"old\",\"reason\":\"unsupported algorithm MD5\"}]");
    }

    /** An Aegis-style Steam URI in a QR code: shown as the Steam account it is stored as, secret masked. */
    @Test
    void qrDecodeShowsASteamAccount(@org.junit.jupiter.api.io.TempDir Path dir) {
        String png = dir.resolve("steam.png").toString();
        assertThat(run("qr", "encode", "--uri", "otpauth://steam/Steam:alice?secret=JBSWY3DPEHPK3PXP&issuer=Steam"
                + "&digits=5", "--out", png)).as(err()).isZero();
        out.reset();
        assertThat(run("qr", "decode", png)).as(err()).isZero();
        assertThat(out()).isEqualTo(png + ": Steam:alice  TOTP  SHA1  Steam code  30 s  secret ******** (10 bytes)\n");
        out.reset();
        assertThat(run("--json", "qr", "decode", png)).as(err()).isZero();
        assertThat(out()).contains("{\"name\":\"Steam:alice\",\"issuer\":\"Steam\",\"account\":\"alice\","
                + "\"type\":\"TOTP\",\"algorithm\":\"SHA1\",\"digits\":6,\"steam\":true,\"period\":30,"
                + "\"secret_bytes\":10}").doesNotContain("JBSWY3DPEHPK3PXP");
    }

    @Test
    void provisionAsJsonIsOneDocumentOfEveryTokensAccounts() {
        token.expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect("00 A1 00 00 00", "90 00").expect(PUT_ALICE, "90 00")
                .expect("00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001", "76 05 06 41397EEA 90 00");
        assertThat(run("provision", "--uri", URI, "--json")).as(err()).isZero();
        assertThat(out()).isEqualTo("{\"tokens\":[{\"token\":\"/dev/fake\",\"accounts\":"
                + "[{\"name\":\"Example:alice\",\"state\":\"proven\"}]}]}\n");
        token.assertDone();
    }
}
