package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.session.FixedRandom;
import dev.otptoken.host.session.ScriptedTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --remember} and {@code password forget}, in-process against a scripted token in exact
 * hex: the access key (not the password) kept in a 0600 file under {@code $XDG_CONFIG_HOME},
 * used on the next run without a password, dropped with a warning when the token refuses it.
 */
class RememberTest {
    private static final String SELECT = "00 A4 04 00 07 A0 00 00 05 27 21 01";
    private static final String SALT = "0102030405060708";
    private static final String LOCKED = "79 03 05 07 00 71 08 " + SALT + " 74 08 a1a2a3a4a5a6a7a8 7B 01 01 90 00";
    private static final String PASSWORD = "correct horse";
    /** PBKDF2-HMAC-SHA1("correct horse", 0102030405060708, 1000, 16): the access key. */
    private static final String KEY = "49561f12fb17065dd680fc5a61d740a6";
    /** VALIDATE with KEY's answer to a1..a8 and our challenge 01..08 (the test's "random"). */
    private static final String VALIDATE = "00 A3 00 00 20 75 14 a51bc17e7acfa44e5f1a04ced4b938af52ee691d"
            + " 74 08 0102030405060708";
    private static final String TOKEN_PROOF = "75 14 7d5e3d5d53a0d1891ffc3c22bb250caadc8e622a 90 00";
    private static final String LIST = "00 A1 00 00 00";
    private static final String SET_CODE_CLEAR = "00 03 00 00 02 73 00";

    @TempDir
    Path config;

    private final ScriptedTransport token = new ScriptedTransport();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        out.reset();
        err.reset();
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                InstantSource.fixed(Instant.ofEpochSecond(59)),
                Map.of(HostMain.PORT_VARIABLE, "/dev/fake", "XDG_CONFIG_HOME", config.toString()), false,
                device -> token, new FixedRandom());
        return HostMain.run(args, env);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path keysFile() {
        return config.resolve("otptoken").resolve("oath-keys");
    }

    private String keysText() throws Exception {
        return Files.readString(keysFile(), StandardCharsets.US_ASCII);
    }

    /** ykman's device id of the salt: SHA-256, first 16 bytes, base64 without padding. */
    private static String deviceId() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(SALT));
        return Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, 16));
    }

    private void remembered() throws Exception {
        token.expect(SELECT, LOCKED).expect(VALIDATE, TOKEN_PROOF).expect(LIST, "90 00");
        assertThat(run(PASSWORD + "\n", "list", "--password-stdin", "--remember")).as(err()).isZero();
        token.assertDone();
    }

    @Test
    void rememberKeepsTheAccessKeyInAnOwnerOnlyFileAndTheNextRunUnlocksWithoutAPassword() throws Exception {
        remembered();
        assertThat(Files.getPosixFilePermissions(keysFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(keysFile().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(keysText()).contains(deviceId() + " " + KEY + "\n").doesNotContain(PASSWORD)
                .doesNotContain(HexFormat.of().formatHex(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        try (var files = Files.list(keysFile().getParent())) {
            assertThat(files).as("no temporary file is left").containsExactly(keysFile());
        }

        // no --password-stdin, no terminal: the password cannot be asked, and need not be
        token.expect(SELECT, LOCKED).expect(VALIDATE, TOKEN_PROOF).expect(LIST, "90 00");
        assertThat(run("", "list")).as(err()).isZero();
        assertThat(err()).isEmpty();
        token.assertDone();
        assertThat(out.toString(StandardCharsets.UTF_8) + err()).doesNotContain(KEY);
    }

    @Test
    void withoutRememberNothingIsKept() {
        token.expect(SELECT, LOCKED).expect(VALIDATE, TOKEN_PROOF).expect(LIST, "90 00");
        assertThat(run(PASSWORD + "\n", "list", "--password-stdin")).as(err()).isZero();
        assertThat(keysFile()).doesNotExist();
    }

    @Test
    void forgetRemovesTheKeyOfTheTokenAndThenAPasswordIsNeededAgain() throws Exception {
        remembered();
        token.expect(SELECT, LOCKED);
        assertThat(run("", "password", "forget")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: the token's remembered key is forgotten\n");
        assertThat(keysText()).doesNotContain(deviceId()).doesNotContain(KEY);
        token.assertDone();

        token.expect(SELECT, LOCKED);
        assertThat(run("", "list")).isEqualTo(ExitStatus.PASSWORD);
        assertThat(err()).startsWith("otptoken: password required");
        token.assertDone();

        token.expect(SELECT, LOCKED);
        assertThat(run("", "password", "forget")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: no key was remembered for the token\n");
    }

    @Test
    void forgetAllRemovesTheFileWithoutOpeningAToken() throws Exception {
        remembered();
        Files.writeString(keysFile(), keysText() + "someOtherTokenId 00112233445566778899aabbccddeeff\n");
        assertThat(run("", "password", "forget", "--all")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: forgot the remembered keys of 2 tokens\n");
        assertThat(keysFile()).doesNotExist();
        token.assertDone();
    }

    @Test
    void aRememberedKeyTheTokenRefusesIsDroppedWithAWarningAndThePasswordIsAsked() throws Exception {
        Files.createDirectories(keysFile().getParent());
        String stale = "00112233445566778899aabbccddeeff";
        Files.writeString(keysFile(), deviceId() + " " + stale + "\nsomeOtherTokenId " + KEY + "\n");
        String staleValidate = "00 A3 00 00 20 75 14 " + hmac(stale, "a1a2a3a4a5a6a7a8") + " 74 08 0102030405060708";
        token.expect(SELECT, LOCKED).expect(staleValidate, "69 84")
                // selected again for a fresh challenge, then the password's key
                .expect(SELECT, LOCKED).expect(VALIDATE, TOKEN_PROOF).expect(LIST, "90 00");
        assertThat(run(PASSWORD + "\n", "list", "--password-stdin")).as(err()).isZero();
        token.assertDone();
        assertThat(err().lines()).containsExactly(
                "otptoken: the token refused its remembered key: forgotten; asking for the password");
        assertThat(err()).doesNotContain(stale);
        assertThat(keysText()).doesNotContain(deviceId()).contains("someOtherTokenId " + KEY + "\n");
    }

    /** Nothing to clear: no password asked for, nothing written, said so. */
    @Test
    void passwordClearOfATokenWithoutAPasswordChangesNothingAndSaysSo() throws Exception {
        token.expect(SELECT, "79 03 05 07 00 71 08 " + SALT + " 90 00");
        assertThat(run("", "password", "clear")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: the token has no password; nothing was changed on it\n");
        token.assertDone();

        // a key remembered before the password was removed elsewhere goes, as clear always forgets it
        remembered();
        err.reset();
        token.expect(SELECT, "79 03 05 07 00 71 08 " + SALT + " 90 00");
        assertThat(run("", "password", "clear")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: the token has no password; nothing was changed on it"
                + " (its remembered key is forgotten)\n");
        assertThat(keysText()).doesNotContain(deviceId());
        token.assertDone();
    }

    @Test
    void passwordClearForgetsTheKeyAndPasswordSetRemembersTheNewOne() throws Exception {
        remembered();
        // a SELECT to see whether there is a password at all, then the unlocking session's own
        token.expect(SELECT, LOCKED).expect(SELECT, LOCKED).expect(VALIDATE, TOKEN_PROOF).expect(SET_CODE_CLEAR, "90 00");
        assertThat(run("", "password", "clear")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: password cleared (and its remembered key forgotten)\n");
        assertThat(keysText()).doesNotContain(deviceId());
        token.assertDone();

        // SET CODE: 73 11 21 KEY, 74 08 our challenge 01..08, 75 14 HMAC-SHA1(KEY, 01..08)
        String setCode = "00 03 00 00 33 73 11 21 " + KEY + " 74 08 0102030405060708 75 14 "
                + hmac(KEY, "0102030405060708");
        token.expect(SELECT, "79 03 05 07 00 71 08 " + SALT + " 90 00").expect(setCode, "90 00");
        assertThat(run(PASSWORD + "\n", "password", "set", "--password-stdin", "--remember")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: password set (and remembered)\n");
        assertThat(keysText()).contains(deviceId() + " " + KEY + "\n");
        token.assertDone();
    }

    @Test
    void aDamagedFileIsOneLineWithoutItsContent() throws Exception {
        Files.createDirectories(keysFile().getParent());
        Files.writeString(keysFile(), deviceId() + " " + KEY.substring(1) + "\n");
        token.expect(SELECT, LOCKED);
        assertThat(run("", "list")).as("a file of the host's, not a missing token").isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err().lines()).singleElement().asString().contains("line 1 is not 'DEVICE-ID HEX-KEY'")
                .doesNotContain(KEY.substring(1));
    }

    @Test
    void aKeysFileThatCannotBeReadIsOneLineNamingItExitThree() throws Exception {
        Files.createDirectories(keysFile());
        token.expect(SELECT, LOCKED);
        assertThat(run("", "list")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: cannot read " + keysFile() + ": is a directory\n");
    }

    @Test
    void aRelativeConfigHomeIsIgnoredForTheOneUnderHome() throws Exception {
        Path home = config.resolve("home");
        RememberedKeys keys = RememberedKeys.of(Map.of("XDG_CONFIG_HOME", "relative/config"), home.toString(),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        keys.remember("someTokenId", HexFormat.of().parseHex(KEY));
        assertThat(Files.readString(home.resolve(".config/otptoken/oath-keys"), StandardCharsets.US_ASCII))
                .endsWith("someTokenId " + KEY + "\n");
        assertThat(keys.find("someTokenId")).isEqualTo(HexFormat.of().parseHex(KEY));
    }

    @Test
    void withoutAnyConfigurationDirectoryNothingIsRememberedAndRememberingSaysWhatToSet() throws Exception {
        // user.home is "?" for a user missing from the password database
        RememberedKeys keys = RememberedKeys.of(Map.of(), "?", new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(keys.find("someTokenId")).isNull();
        assertThat(keys.forgetAll()).isZero();
        assertThat(keys.forget("someTokenId")).isFalse();
        assertThatThrownBy(() -> keys.remember("someTokenId", HexFormat.of().parseHex(KEY)))
                .isInstanceOf(dev.otptoken.host.files.HostFileException.class)
                .hasMessage("cannot remember the key: XDG_CONFIG_HOME is unset or not an absolute path, and there is"
                        + " no home directory for ~/.config: set XDG_CONFIG_HOME")
                .hasMessageNotContaining(KEY);
        assertThat(Files.exists(Path.of("?"))).isFalse();
    }

    @Test
    void forgetAllDeletesADamagedFileToo() throws Exception {
        Files.createDirectories(keysFile().getParent());
        Files.writeString(keysFile(), deviceId() + " " + KEY.substring(1) + "\n");
        assertThat(run("", "password", "forget", "--all")).as(err()).isZero();
        assertThat(err()).isEqualTo("otptoken: deleted the file of remembered keys (it was damaged)\n");
        assertThat(keysFile()).doesNotExist();
        token.assertDone();
    }

    /**
     * password set --password-stdin on a locked token reads the new line before it tries the
     * current one: without it (or with it empty) the command stops as a usage error and the
     * token is never asked, so a wrong current password costs no counted guess.
     */
    @Test
    void passwordSetWithoutANewLineNeverTriesTheCurrentPassword() {
        for (String stdin : new String[] {PASSWORD + "\n", "wrong\n", PASSWORD + "\n\n"}) {
            token.expect(SELECT, LOCKED);
            assertThat(run(stdin, "password", "set", "--password-stdin")).as(stdin).isEqualTo(ExitStatus.USAGE);
            assertThat(err()).contains("the token was not asked");
            token.assertDone();
        }
    }

    private static String hmac(String keyHex, String messageHex) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(keyHex), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(HexFormat.of().parseHex(messageHex)));
    }
}
