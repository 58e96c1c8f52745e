package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Ci;
import dev.otptoken.testing.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the button shows, against oathtool at the token's own clock: SHA-1/256/512, 6/7/8
 * digits, periods 30 and 60, and HOTP — through the headless simulator, accounts written
 * over the pty with T=1, the account chosen with the device applet's SET DISPLAY.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PressMatrixTest {
    static final String KEY = "3132333435363738393031323334353637383930";

    record Account(String name, int typeAlg, int digits, int period, String oathtoolAlg) {
        boolean hotp() {
            return (typeAlg & 0xF0) == 0x10;
        }
    }

    static final List<Account> ACCOUNTS = List.of(
            new Account("sha1-6", 0x21, 6, 30, "sha1"),
            new Account("sha256-7", 0x22, 7, 30, "sha256"),
            new Account("sha512-8", 0x23, 8, 30, "sha512"),
            new Account("60/sha1-8", 0x21, 8, 60, "sha1"),
            new Account("60/sha256-6", 0x22, 6, 60, "sha256"),
            new Account("hotp", 0x11, 6, 0, "sha1"));

    static String oathtool(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("oathtool"));
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Ci.require(false, "oathtool is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void everyAlgorithmDigitCountAndPeriodMatchesOathtool() throws Exception {
        try (TokenHarness t = TokenHarness.inProcess(null, "--start-time", "2031-06-01T00:00:02Z",
                "--drift-ppm", "-35")) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            for (Account a : ACCOUNTS) {
                byte[] n = a.name().getBytes(StandardCharsets.US_ASCII);
                String data = String.format("71%02X", n.length) + Hex.of(n)
                        + String.format("7316%02X%02X", a.typeAlg(), a.digits()) + KEY;
                t.ok(String.format("00010000%02X", data.length() / 2) + data);
            }
            t.ok(TokenHarness.DEVICE_SELECT);
            int hotpPresses = 0;
            String previous = null;
            for (int i = 0; i < ACCOUNTS.size(); i++) {
                Account a = ACCOUNTS.get(i);
                t.ok("80210000032001" + String.format("%02X", i));
                if (!a.hotp()) {
                    waitAwayFromPeriodEnd(t, a.period());
                }
                t.drainLines();
                long before = SimProcessTest.clockMicros(t);
                t.command("press");
                String display = pressed(t, previous);
                long after = SimProcessTest.clockMicros(t);
                assertThat(display).as(a.name()).matches("\\d{" + a.digits() + "} \\d+s");
                String code = display.split(" ")[0];
                String expected;
                if (a.hotp()) {
                    expected = oathtool(List.of("--hotp", "--digits=" + a.digits(),
                            "--counter=" + hotpPresses, KEY.toLowerCase(Locale.ROOT)));
                    hotpPresses++;
                } else {
                    assertThat(after / 1_000_000 / a.period()).as("same step during the press")
                            .isEqualTo(before / 1_000_000 / a.period());
                    expected = oathtool(List.of("--totp=" + a.oathtoolAlg(), "--digits=" + a.digits(),
                            "--time-step-size=" + a.period() + "s", "--now=@" + after / 1_000_000,
                            KEY.toLowerCase(Locale.ROOT)));
                }
                assertThat(code).as(a.name()).isEqualTo(expected);
                previous = code;
            }
            // a second press on the HOTP account shows the next counter's code
            t.drainLines();
            t.command("press");
            String again = pressed(t, previous);
            assertThat(again.split(" ")[0]).isEqualTo(oathtool(List.of("--hotp", "--digits=6",
                    "--counter=" + hotpPresses, KEY.toLowerCase(Locale.ROOT))));
            assertThat(t.quit()).isZero();
        }
    }

    /**
     * The display the press made. The previous account's code stays on and counts down, one
     * line a second, until its timeout: a tick of it (or its "off") can arrive between the
     * drain and the press's own line, more often on a loaded machine. Those lines carry the
     * previous code; the press shows another account's code (different test keys and
     * parameters make equal codes of two accounts a one-in-a-million case).
     */
    private static String pressed(TokenHarness t, String previousCode) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String d = t.nextDisplay();
            if (d == null || !(d.equals("off") || previousCode != null && d.startsWith(previousCode + " "))) {
                return d;
            }
        }
        throw new AssertionError("no display line of the press among 100 of the previous account's");
    }

    /** Waits until the token's clock is at least 8 s before the end of its period. */
    private static void waitAwayFromPeriodEnd(TokenHarness t, int period) throws Exception {
        for (int i = 0; i < 20; i++) {
            long secondsIn = SimProcessTest.clockMicros(t) / 1_000_000 % period;
            if (period - secondsIn > 8) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the clock did not leave the end of the period");
    }
}
