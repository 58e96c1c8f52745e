package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.oath.AccountStore;
import dev.otptoken.testing.Hex;
import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.hardware.memory.TransactionalMemory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrong-password count across a restart of otptoken-sim with {@code --state}: it is in
 * the state file, the next try after the restart waits its full (token-time) delay, the host
 * stays alive through the wait with S(WTX), and the button works meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BruteForceSimTest {
    static final String PW_KEY = "000102030405060708090A0B0C0D0E0F";
    static final String SET_CHALLENGE = "0011223344556677";
    static final String PUT_TOTP = SimProcessTest.PUT_TOTP;
    /** Offset of the challenge in the SELECT answer, in hex digits: 79 03 v v v, 71 08 salt, 74 08. */
    static final int CHALLENGE_HEX = 34;
    static final String WRONG_VALIDATE = "00A30000 1E 7514" + "00".repeat(20) + "7406 010203040506";
    /** Six wrong tries in a row: the seventh waits 8 s (3 free, then 1, 2, 4, 8 s). */
    static final int FAILURES_BEFORE_RESTART = 6;
    static final long SEVENTH_WAIT_MICROS = 8_000_000;
    /** The headless lines of a guess's wait (docs/otptoken-sim.md). */
    static final String GUESS = "guess: ";
    static final String GUESS_WAITING = "guess: waiting ";
    static final String GUESS_DONE = "guess: done";
    /** The RTC runs at most this fast or slow by default (it drifts): a generous bound. */
    static final long DRIFT_TOLERANCE_MICROS = 1_000;

    @TempDir
    Path dir;

    static String hmac(String keyHex, String dataHex) {
        return dev.otptoken.firmware.testing.HmacSha1.hex(keyHex, dataHex);
    }

    static int storedFailures(Path state) throws Exception {
        TransactionalMemory memory = TransactionalMemory.powerUp(StateFile.read(state), null);
        return AccountStore.failedValidations(memory, 0);
    }

    @Test
    void theCountSurvivesARestartAndTheNextTryWaitsWhileTheButtonStillWorks() throws Exception {
        Path state = dir.resolve("token.state");
        // Run 1, time 1000x faster: the first waits (1, 2 s) take milliseconds.
        try (TokenHarness t = TokenHarness.process(state, "--time-scale", "1000")) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(PUT_TOTP);
            t.ok("00030000 33 7311 21" + PW_KEY + "7408" + SET_CHALLENGE + "7514" + hmac(PW_KEY, SET_CHALLENGE));
            for (int i = 0; i < FAILURES_BEFORE_RESTART; i++) {
                t.ok(TokenHarness.OATH_SELECT);
                assertThat(t.send(WRONG_VALIDATE)).isEqualTo("6984");
            }
            assertThat(t.quit()).isZero();
        }
        assertThat(storedFailures(state)).isEqualTo(FAILURES_BEFORE_RESTART);

        // Run 2, real time: the seventh try waits 8 s of token time, longer than the host's
        // block waiting time (3 s), so only the token's S(WTX) keeps the host waiting.
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            t.ok(TokenHarness.DEVICE_SELECT);
            long before = SimProcessTest.clockMicros(t);
            String select = t.ok(TokenHarness.OATH_SELECT);
            assertThat(select.substring(CHALLENGE_HEX - 4, CHALLENGE_HEX)).isEqualTo("7408");
            t.drainLines();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return t.send(WRONG_VALIDATE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // The button during the wait: the token says when the guess has let go of the chip
            // and when it has taken it back; the press's code must come out in between. A chip
            // held through the wait would serve the press only after "guess: done".
            assertThat(t.nextLineStartingWith(GUESS)).isEqualTo(GUESS_WAITING + SEVENTH_WAIT_MICROS / 1_000 + " ms");
            t.command("press");
            String served = t.nextLineStartingWith(Headless.DISPLAY, GUESS);
            assertThat(served).as("the press was served during the wait").matches("display: \\d{6} \\d+s");
            assertThat(t.nextLineStartingWith(GUESS)).isEqualTo(GUESS_DONE);
            assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo("6984");
            t.ok(TokenHarness.DEVICE_SELECT);
            long after = SimProcessTest.clockMicros(t);
            assertThat(after - before).isGreaterThanOrEqualTo(SEVENTH_WAIT_MICROS - DRIFT_TOLERANCE_MICROS);
            assertThat(t.quit()).isZero();
        }
        assertThat(storedFailures(state)).isEqualTo(FAILURES_BEFORE_RESTART + 1);
    }
}
