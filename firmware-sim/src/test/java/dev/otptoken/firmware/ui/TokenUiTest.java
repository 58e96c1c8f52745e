package dev.otptoken.firmware.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.testing.LinearRtc;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Totp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The button → display state machine on a manually advanced clock. Account codes are
 * stand-ins that name the step (or counter) they belong to, so each assertion says which
 * code is shown; that they equal RFC 6238 codes is tested with the real applet.
 */
class TokenUiTest {
    /** 2023-11-14T22:13:40Z: 10 s into a 30 s step and 40 s into a 60 s step. */
    static final long T0 = 1_700_000_020_000_000L;

    final LinearRtc rtc = new LinearRtc(T0);
    final List<AccountSummary> accounts = new ArrayList<>(List.of(
            new AccountSummary(OathType.TOTP, 6, 30, false),
            new AccountSummary(OathType.HOTP, 6, 30, false),
            new AccountSummary(OathType.TOTP, 8, 60, true)));
    final long[] counters = new long[3];
    final List<Optional<Readout>> shown = new ArrayList<>();
    final Settings settings = new Settings();
    final ButtonTouchGate gate = new ButtonTouchGate();
    final TokenUi ui = new TokenUi(rtc, new AccountCodes() {
        @Override
        public int accountCount() {
            return accounts.size();
        }

        @Override
        public AccountSummary account(int index) {
            return accounts.get(index);
        }

        @Override
        public String totpCode(int index, long timeStep) {
            return String.format(Locale.ROOT, "T%d@%d", index, timeStep);
        }

        @Override
        public String nextHotpCode(int index) {
            return String.format(Locale.ROOT, "H%d#%d", index, counters[index]++);
        }
    }, settings, gate, new ReentrantLock(), shown::add);

    static final class Settings implements DisplaySettings {
        int selected;
        int timeout = 30;

        @Override
        public int selectedAccount() {
            return selected;
        }

        @Override
        public void selectAccount(int index) {
            selected = index;
        }

        @Override
        public int timeoutSeconds() {
            return timeout;
        }
    }

    static long step(long micros, int period) {
        return Math.floorDiv(micros, period * 1_000_000L);
    }

    Optional<Readout> last() {
        return shown.get(shown.size() - 1);
    }

    @Test
    void aPressShowsTheCodeOfTheRtcStepWithItsSecondsLeft() {
        rtc.advanceSeconds(0.4); // 19.6 s left in the step: shown as 20
        ui.press();
        long s = step(rtc.readMicros(), 30);
        assertThat(shown).containsExactly(Optional.of(new Readout(0, "T0@" + s, 20, false)));
        rtc.advanceSeconds(1);
        ui.tick();
        assertThat(last()).contains(new Readout(0, "T0@" + s, 19, false));
    }

    @Test
    void theCodeFollowsTheRtcNotTrueTime() {
        rtc.set(T0 + 3_600_000_000L); // the token runs an hour ahead
        ui.press();
        assertThat(last().orElseThrow().code()).isEqualTo("T0@" + step(T0 + 3_600_000_000L, 30));
    }

    @Test
    void theLastFiveSecondsAreMarked() {
        ui.press(); // 20 s left
        rtc.advanceSeconds(14.5);
        ui.tick();
        assertThat(last()).contains(new Readout(0, "T0@" + step(T0, 30), 6, false));
        rtc.advanceSeconds(1);
        ui.tick();
        assertThat(last()).contains(new Readout(0, "T0@" + step(T0, 30), 5, true));
    }

    @Test
    void aPressDuringTheLastFiveSecondsShowsTheNextCode() {
        rtc.advanceSeconds(16); // 4 s left
        ui.press();
        long s = step(T0, 30);
        assertThat(last()).contains(new Readout(0, "T0@" + (s + 1), 34, false));
    }

    @Test
    void theDisplayFollowsThePeriodChangeAndTurnsOffAfterTheTimeout() {
        settings.timeout = 30;
        ui.press(); // 20 s left in step s
        long s = step(T0, 30);
        rtc.advanceSeconds(20);
        ui.tick();
        assertThat(last()).contains(new Readout(0, "T0@" + (s + 1), 30, false));
        rtc.advanceSeconds(9.999);
        ui.tick();
        assertThat(last()).isPresent();
        rtc.advanceSeconds(0.001);
        ui.tick();
        assertThat(last()).isEmpty();
        assertThat(ui.current()).isEmpty();
    }

    @Test
    void timeoutZeroTurnsOffAtTheEndOfThePeriod() {
        settings.timeout = DisplaySettings.UNTIL_PERIOD_END;
        ui.press();
        rtc.advanceSeconds(19.999);
        ui.tick();
        assertThat(last()).contains(new Readout(0, "T0@" + step(T0, 30), 1, true));
        rtc.advanceSeconds(0.001);
        ui.tick();
        assertThat(last()).isEmpty();
    }

    @Test
    void aLongPressCyclesTheAccounts() {
        ui.longPress(); // to the HOTP account: selected, display off, counter untouched
        assertThat(settings.selected).isEqualTo(1);
        assertThat(counters[1]).isZero();
        assertThat(ui.current()).isEmpty();
        ui.press();
        assertThat(last()).contains(new Readout(1, "H1#0", 30, false));
        ui.press();
        assertThat(last()).contains(new Readout(1, "H1#1", 30, false));
        ui.longPress(); // to the 60 s TOTP account: shown at once
        assertThat(settings.selected).isEqualTo(2);
        assertThat(last().orElseThrow().code()).isEqualTo("T2@" + step(T0, 60));
        assertThat(last().orElseThrow().secondsLeft()).isEqualTo(20);
        ui.longPress(); // wraps
        assertThat(settings.selected).isZero();
        assertThat(last().orElseThrow().code()).isEqualTo("T0@" + step(T0, 30));
    }

    @Test
    void anHotpCodeCountsDownToTheTimeout() {
        settings.selected = 1;
        settings.timeout = 15;
        ui.press();
        assertThat(last()).contains(new Readout(1, "H1#0", 15, false));
        rtc.advanceSeconds(10);
        ui.tick();
        assertThat(last()).contains(new Readout(1, "H1#0", 5, true));
        rtc.advanceSeconds(5);
        ui.tick();
        assertThat(last()).isEmpty();
    }

    @Test
    void aSelectionBeyondTheAccountsShowsTheFirst() {
        settings.selected = 7;
        ui.press();
        assertThat(last().orElseThrow().account()).isZero();
    }

    @Test
    void withoutAccountsAPressShowsNothing() {
        accounts.clear();
        ui.press();
        ui.longPress();
        assertThat(shown).isEmpty();
    }

    @Test
    void aPressReleasesAWaitingTouchAndShowsNothing() throws InterruptedException {
        boolean[] result = new boolean[1];
        Thread host = new Thread(() -> result[0] = gate.awaitTouch(60_000));
        host.start();
        while (!gate.isWaiting()) {
            Thread.onSpinWait();
        }
        ui.press();
        host.join();
        assertThat(result[0]).isTrue();
        assertThat(shown).isEmpty();
        assertThat(gate.isWaiting()).isFalse();
    }

    @Test
    void aTouchWaitEndsWithoutAPress() {
        assertThat(gate.awaitTouch(20)).isFalse();
        assertThat(gate.isWaiting()).isFalse();
    }

    @Test
    void aPressWhileNobodyWaitsIsNotRemembered() {
        assertThat(gate.release()).isFalse();
        ui.press();
        assertThat(gate.awaitTouch(1)).isFalse();
    }

    @Test
    void theStepMatchesTheRfc6238ReferenceAtTheRtcReading() {
        byte[] key = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<Optional<Readout>> seen = new ArrayList<>();
        TokenUi real = new TokenUi(rtc, new AccountCodes() {
            @Override
            public int accountCount() {
                return 1;
            }

            @Override
            public AccountSummary account(int index) {
                return new AccountSummary(OathType.TOTP, 8, 30, false);
            }

            @Override
            public String totpCode(int index, long timeStep) {
                return Hotp.code(HashAlgorithm.SHA1, key, timeStep, 8);
            }

            @Override
            public String nextHotpCode(int index) {
                throw new AssertionError();
            }
        }, settings, gate, new ReentrantLock(), seen::add);
        rtc.set(1_111_111_091_000_000L); // RFC 6238 Appendix B: T = 1111111111 s, 20 s after this
        rtc.advanceSeconds(20);
        real.press();
        Instant reading = Instant.EPOCH.plus(rtc.readMicros(), ChronoUnit.MICROS);
        assertThat(seen.get(0).orElseThrow().code())
                .isEqualTo(Totp.code(HashAlgorithm.SHA1, key, reading, 30, 8))
                .isEqualTo("14050471");
        assertThat(seen.get(0).orElseThrow().secondsLeft()).isEqualTo(29);
    }
}
