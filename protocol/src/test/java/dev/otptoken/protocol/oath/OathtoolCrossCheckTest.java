package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Ci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares {@link Hotp} and {@link Totp} with oathtool (OATH Toolkit), an independent
 * implementation, over seeded random keys, algorithms, digits, periods, times and counters.
 * Skips only outside CI when oathtool is missing.
 */
class OathtoolCrossCheckTest {
    private static final long SEED = 0x0A7B_70CE_4E11L;
    private static final int TOTP_CASES = 150;
    private static final int HOTP_CASES = 50;
    private static final long MAX_EPOCH_SECOND = 1L << 33;
    private static final DateTimeFormatter NOW =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @BeforeAll
    static void requireOathtool() {
        Ci.requireTool("oathtool");
    }

    static Stream<Arguments> totpCases() {
        Random rnd = new Random(SEED);
        List<Arguments> out = new ArrayList<>();
        HashAlgorithm[] algs = HashAlgorithm.values();
        for (int i = 0; i < TOTP_CASES; i++) {
            byte[] key = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(key);
            out.add(Arguments.of(algs[rnd.nextInt(algs.length)], HexFormat.of().formatHex(key),
                    6 + rnd.nextInt(3), 15 + rnd.nextInt(106), (long) (rnd.nextDouble() * MAX_EPOCH_SECOND)));
        }
        return out.stream();
    }

    static Stream<Arguments> hotpCases() {
        Random rnd = new Random(SEED + 1);
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < HOTP_CASES; i++) {
            byte[] key = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(key);
            out.add(Arguments.of(HexFormat.of().formatHex(key), 6 + rnd.nextInt(3), rnd.nextLong() >>> 11));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} {2} digits period {3}")
    @MethodSource("totpCases")
    void totpMatchesOathtool(HashAlgorithm alg, String keyHex, int digits, int period, long epochSecond)
            throws Exception {
        Instant t = Instant.ofEpochSecond(epochSecond);
        String expected = oathtool("--totp=" + alg.name().toLowerCase(Locale.ROOT), "--digits=" + digits,
                "--time-step-size=" + period + "s", "--now", NOW.format(t) + " UTC", keyHex);
        assertThat(Totp.code(alg, HexFormat.of().parseHex(keyHex), t, period, digits)).isEqualTo(expected);
    }

    /** oathtool's HOTP is SHA-1 only. */
    @ParameterizedTest(name = "[{index}] {1} digits counter {2}")
    @MethodSource("hotpCases")
    void hotpMatchesOathtool(String keyHex, int digits, long counter) throws Exception {
        String expected = oathtool("--hotp", "-c", Long.toString(counter), "--digits=" + digits, keyHex);
        assertThat(Hotp.code(HashAlgorithm.SHA1, HexFormat.of().parseHex(keyHex), counter, digits))
                .isEqualTo(expected);
    }

    private static String oathtool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("oathtool");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("oathtool finished").isTrue();
        String text = new String(out, StandardCharsets.US_ASCII).trim();
        assertThat(p.exitValue()).as("oathtool exit status, output: %s", text).isZero();
        return text;
    }
}
