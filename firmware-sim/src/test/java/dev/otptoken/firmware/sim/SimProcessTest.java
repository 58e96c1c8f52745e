package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otptoken.testing.Ci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** otptoken-sim as a child process: pty, T=1 host through jssc, headless button, oathtool. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimProcessTest {
    static final String KEY = "3132333435363738393031323334353637383930";
    static final String PUT_TOTP = "00010000 1E 7104 74657374 7316 2106" + KEY;

    @TempDir
    Path dir;

    static boolean ci() {
        return Ci.active();
    }

    static String oathtool(long unixSeconds) throws Exception {
        List<String> cmd = List.of("oathtool", "--totp", "--digits=6", "--time-step-size=30s",
                "--now=@" + unixSeconds, KEY.toLowerCase(Locale.ROOT));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(ci(), "oathtool is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    static long clockMicros(TokenHarness t) throws IOException {
        String clock = t.ok("80100000");
        assertThat(clock).startsWith("1008");
        return Long.parseUnsignedLong(clock.substring(4, 20), 16);
    }

    @Test
    void aPressShowsTheCodeOathtoolGivesForTheTokensClock() throws Exception {
        Path state = dir.resolve("token.state");
        // The RTC starts 2 s into a 30 s step and runs 50 ppm fast: far from true time, and
        // far enough from the period end that the press shows the current step's code.
        try (TokenHarness t = TokenHarness.process(state, "--serial", "12345678",
                "--start-time", "2030-01-01T00:00:02Z", "--drift-ppm", "50")) {
            assertThat(t.port).startsWith("/dev/pts/");
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(PUT_TOTP);
            t.ok(TokenHarness.DEVICE_SELECT);
            long before = clockMicros(t);
            t.command("press");
            String display = t.nextDisplay();
            long after = clockMicros(t);
            assertThat(after / 30_000_000).as("no period boundary during the press").isEqualTo(before / 30_000_000);
            assertThat(display).matches("\\d{6} \\d+s");
            String[] parts = display.split(" ");
            assertThat(parts[0]).isEqualTo(oathtool(after / 1_000_000));
            int left = Integer.parseInt(parts[1].replace("s", ""));
            long leftAfter = 30 - (after / 1_000_000) % 30;
            assertThat(left).isBetween((int) leftAfter, (int) (30 - (before / 1_000_000) % 30));
            assertThat(t.ok("80010000")).startsWith("0104" + String.format("%08X", 12_345_678));
            assertThat(t.quit()).isZero();
        }
        assertThat(state).exists();
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            assertThat(t.ok("00A10000")).isEqualTo("7205" + "21" + "74657374");
            t.ok(TokenHarness.DEVICE_SELECT);
            assertThat(t.ok("80010000")).startsWith("0104" + String.format("%08X", 12_345_678));
            // The battery-backed RTC kept its time: still in 2030, not the host's time.
            assertThat(clockMicros(t) / 1_000_000).isBetween(1_893_456_002L, 1_893_456_002L + 600);
            assertThat(t.quit()).isZero();
        }
    }

    @Test
    void aCorruptStateFileIsRefusedAndLeftAlone() throws Exception {
        Path state = dir.resolve("corrupt.state");
        byte[] garbage = "this is not a token's memory".getBytes(StandardCharsets.US_ASCII);
        Files.write(state, garbage);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SimMain.class.getName(),
                "--headless", "--state", state.toString()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(SimMain.EXIT_STATE);
        assertThat(out).isEmpty();
        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("otptoken-sim: ").contains(state.toString());
        assertThat(Files.readAllBytes(state)).isEqualTo(garbage);
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        assertThat(SimMain.run(new String[] {"--bogus"}, System.in, System.out, System.err, false, java.time.InstantSource.system()))
                .isEqualTo(SimMain.EXIT_USAGE);
        assertThat(SimMain.run(new String[] {"--time-scale", "0"}, System.in, System.out, System.err, false,
                java.time.InstantSource.system())).isEqualTo(SimMain.EXIT_USAGE);
        assertThat(SimMain.run(new String[] {"--start-time", "yesterday"}, System.in, System.out, System.err,
                false, java.time.InstantSource.system())).isEqualTo(SimMain.EXIT_USAGE);
        assertThat(SimMain.run(new String[] {"--port", "/dev/null", "--pty"}, System.in, System.out, System.err,
                false, java.time.InstantSource.system())).isEqualTo(SimMain.EXIT_USAGE);
    }

    /** An empty path (an unset variable: --state "$STATE") is the working directory to the file system: a usage error. */
    @ParameterizedTest
    @ValueSource(strings = {"--state", "--link", "--port", "--temperature-profile", "--control"})
    void anEmptyPathIsAUsageErrorNamingTheOption(String option) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = SimMain.run(new String[] {option, ""}, System.in, System.out,
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8), false, java.time.InstantSource.system());
        assertThat(status).isEqualTo(SimMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().findFirst()).hasValue("otptoken-sim: " + option
                + ": the path is empty (an unset variable?) (see --help)");
    }
}
