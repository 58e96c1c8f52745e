package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Totp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code otptoken drift} in-process against a token simulated by the TOTP reference. */
class DriftCommandTest {
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String URI = "otpauth://totp/Example:alice?secret=" + B32 + "&issuer=Example&digits=8";
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final double PPM = 60.0;

    @TempDir
    Path dir;
    private Path file;
    private final Map<String, String> environment = new HashMap<>();
    private Instant now = START;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        file = dir.resolve("state").resolve("alice.drift");
        environment.put(DriftCommand.FILE_VARIABLE, file.toString());
    }

    private int run(String stdin, String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), () -> now, environment, false, Token.Opener.system());
        return HostMain.run(args, env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The code a token running PPM fast since START shows at true time t. */
    private static String tokenCode(Instant t) {
        long ms = t.toEpochMilli();
        long token = ms + Math.round((ms - START.toEpochMilli()) * PPM * 1e-6);
        return Totp.code(HashAlgorithm.SHA1, KEY, Instant.ofEpochMilli(token), 30, 8);
    }

    @Test
    void initStoresTheSeedPrivatelyAndNeverPrintsIt() throws Exception {
        assertThat(run("", "drift", "init", "--uri", URI)).as(err()).isZero();
        assertThat(out()).contains("record for Example:alice (SHA1, 8 digits, 30 s) created").doesNotContain(B32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run("", "drift", "init", "--uri", URI)).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).contains("exists (use --force");
        assertThat(run(URI + "\n", "drift", "init", "--uri-stdin", "--force")).as(err()).isZero();
        assertThat(run("", "drift", "show")).isZero();
        assertThat(out()).startsWith("Example:alice  SHA1  8 digits  30 s").contains("no observations yet")
                .doesNotContain(B32);
        assertThat(run("", "--json", "drift", "show")).isZero();
        assertThat(out()).contains("\"name\":\"Example:alice\"", "\"observations\":[]", "\"model\":null")
                .doesNotContain(B32);
    }

    @Test
    void badInputIsStatus3WithOneLine() throws Exception {
        assertThat(run("", "drift", "show")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).startsWith("otptoken: no drift record at");
        assertThat(run("", "drift", "init", "--uri", "otpauth://hotp/x?secret=" + B32)).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(run("", "drift", "init", "--uri", "otpauth://totp/x?secret=!!")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err().lines().count()).isEqualTo(1);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not a record\n");
        assertThat(run("", "drift", "predict")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).contains("not an otptoken drift record");
        Files.delete(file);
        assertThat(run("", "drift", "init", "--uri", URI)).isZero();
        assertThat(run("", "drift", "observe", "--code", "12ab")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(run("", "drift", "observe", "--code", "123456")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).contains("8-digit codes");
        assertThat(run("", "drift", "predict")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).contains("no observations yet");
    }

    @Test
    void usageErrorsAreStatus2() {
        assertThat(run("", "drift")).isEqualTo(ExitStatus.USAGE);
        assertThat(run("", "drift", "init")).isEqualTo(ExitStatus.USAGE);
        assertThat(run("", "drift", "init", "--uri", URI, "--uri-stdin")).isEqualTo(ExitStatus.USAGE);
        assertThat(run("", "drift", "observe")).isEqualTo(ExitStatus.USAGE);
        assertThat(run("", "drift", "observe", "--code", "12345678", "--at", "yesterday")).isEqualTo(ExitStatus.USAGE);
        assertThat(run("", "drift", "observe", "--code", "12345678", "--window", "-1")).isEqualTo(ExitStatus.USAGE);
    }

    @Test
    void aCodeOutsideTheWindowIsStatus3AndRecordsNothing() throws Exception {
        assertThat(run("", "drift", "init", "--uri", URI)).isZero();
        Instant t = START.plusSeconds(200 * 86_400L); // 60 ppm for 200 days: 1037 s, 34 steps ahead
        assertThat(run("", "drift", "observe", "--code", tokenCode(t), "--at", t.toString()))
                .isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err().trim()).isEqualTo("otptoken: code not found within ±10 steps of step offset +0 at "
                + t + " (nothing recorded)");
        assertThat(run("", "drift", "observe", "--code", tokenCode(t), "--at", "@" + t.getEpochSecond(),
                "--window", "40")).as(err()).isZero();
        assertThat(out()).startsWith("observed: step offset +34 at " + t);
    }

    @Test
    void observationsDaysApartGiveTheRateAndPredictTheStep() throws Exception {
        assertThat(run("", "drift", "init", "--uri", URI)).isZero();
        for (int day = 0; day <= 120; day += 10) {
            now = START.plusSeconds(day * 86_400L + day * 3_607L);
            // no --at: the host's (injected) time is used
            assertThat(run("", "drift", "observe", "--code", tokenCode(now))).as(err()).isZero();
        }
        assertThat(out()).containsPattern("rate: \\+5[5-9]\\.\\d\\d ppm \\(possible").contains("13 observations over 125.0 days");
        assertThat(run("", "--json", "drift", "show")).isZero();
        String j = out();
        double low = Double.parseDouble(j.replaceAll(".*\"rate_low_ppm\":([-0-9.E]+).*\\s*", "$1"));
        double high = Double.parseDouble(j.replaceAll(".*\"rate_high_ppm\":([-0-9.E]+).*\\s*", "$1"));
        assertThat(PPM).isBetween(low, high);
        assertThat(high - low).isLessThan(6);
        Instant later = START.plusSeconds(180 * 86_400L + 777);
        long actual = Math.floorDiv(later.toEpochMilli() + Math.round((later.toEpochMilli() - START.toEpochMilli())
                * PPM * 1e-6), 30_000L) - Math.floorDiv(later.toEpochMilli(), 30_000L);
        assertThat(run("", "--json", "drift", "predict", "--at", later.toString())).isZero();
        long predicted = Long.parseLong(out().replaceAll("(?s).*\"step_offset\":(-?\\d+).*", "$1"));
        assertThat(Math.abs(predicted - actual)).isLessThanOrEqualTo(1);
        assertThat(run("", "drift", "predict", "--at", later.toString())).isZero();
        assertThat(out()).startsWith("at " + later + ": expect step offset +");
        // and a far-drifted code is still found with the default window: the search is centred
        Instant farther = START.plusSeconds(240 * 86_400L);
        assertThat(run("", "drift", "observe", "--code", tokenCode(farther), "--at", farther.toString()))
                .as(err()).isZero();
        assertThat(Files.readString(file)).contains("secret " + B32); // the verifier database holds the seed
        assertThat(out() + err()).doesNotContain(B32);
    }

    @Test
    void aRecordThatCannotBeReadOrWrittenIsOneLineNamingItAndWhyExitThreeNotNoToken() throws Exception {
        Files.createDirectories(file);
        assertThat(run("", "drift", "show")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: cannot read " + file + ": is a directory\n");
        assertThat(run("", "drift", "init", "--force", "--uri", URI)).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: cannot write " + file + ": is a directory\n");
        assertThat(Files.list(file.getParent())).as("no temporary file left beside it").containsExactly(file);

        Path blocked = dir.resolve("a-file");
        Files.writeString(blocked, "");
        environment.put(DriftCommand.FILE_VARIABLE, blocked.resolve("alice.drift").toString());
        assertThat(run("", "drift", "init", "--uri", URI)).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: cannot write " + blocked.resolve("alice.drift") + ": " + blocked + " is not a directory\n")
                .doesNotContain(B32);
        Path deeper = blocked.resolve("sub/dir/alice.drift");
        environment.put(DriftCommand.FILE_VARIABLE, deeper.toString());
        assertThat(run("", "drift", "init", "--uri", URI)).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).as("a file further up is named too").isEqualTo("otptoken: cannot write " + deeper + ": "
                + blocked + " is not a directory\n");
    }
}
