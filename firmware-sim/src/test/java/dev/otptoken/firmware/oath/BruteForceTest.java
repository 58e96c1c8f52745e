package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.HEX;
import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.oath.Oath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The persistent wrong-password counter and the wait schedule of VALIDATE. */
class BruteForceTest {
    static final String PW_KEY = PowerCutTest.PW_KEY;
    static final String OUR_CHALLENGE = "0102030405060708";
    static final String OK = "9000";
    static final String WRONG = "6984";
    /** Offset of the challenge in a SELECT answer, in hex digits: 79 03 v v v, 71 08 salt, 74 08. */
    static final int CHALLENGE_HEX = 34;

    static String hmacHex(String keyHex, String dataHex) {
        return dev.otptoken.firmware.testing.HmacSha1.hex(keyHex, dataHex);
    }

    static String challengeOf(String selectResponse) {
        assertThat(selectResponse.substring(CHALLENGE_HEX - 4, CHALLENGE_HEX)).isEqualTo("7408");
        return selectResponse.substring(CHALLENGE_HEX, CHALLENGE_HEX + 2 * Oath.CHALLENGE_LENGTH);
    }

    static String validate(String responseHex) {
        return apdu(Oath.INS_VALIDATE, 0, 0, tlv(Oath.TAG_RESPONSE, responseHex) + tlv(Oath.TAG_CHALLENGE, OUR_CHALLENGE));
    }

    /** SELECT, then VALIDATE with the right or a wrong answer to its challenge. */
    static String attempt(OathHarness t, boolean right) {
        String mac = hmacHex(PW_KEY, challengeOf(t.select()));
        if (!right) {
            mac = (mac.charAt(0) == '0' ? "1" : "0") + mac.substring(1);
        }
        return t.tx(validate(mac));
    }

    static String rightAnswer() {
        return "7514" + hmacHex(PW_KEY, OUR_CHALLENGE) + OK;
    }

    static OathHarness locked() {
        OathHarness t = new OathHarness(TransactionalMemory.fresh(8 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null), 11);
        t.select();
        assertThat(t.tx(PowerCutTest.SET_CODE)).isEqualTo(OK);
        t.waits.clear();
        t.countsDuringWaits.clear();
        return t;
    }

    @Test
    void scheduleIsThreeFreeThenDoublingFromOneSecondToThirty() {
        List<Long> delays = new ArrayList<>();
        for (int failures = 0; failures <= 10; failures++) {
            delays.add(ValidateThrottle.delayMillis(failures));
        }
        assertThat(delays).containsExactly(0L, 0L, 0L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L,
                30_000L, 30_000L);
        assertThat(ValidateThrottle.delayMillis(ValidateThrottle.MAX_COUNT)).isEqualTo(30_000L);
        assertThat(ValidateThrottle.delayMillis(Integer.MAX_VALUE)).isEqualTo(30_000L);
    }

    @Test
    void wrongGuessesAreCountedBeforeTheWaitAndWaitExactlyTheSchedule() {
        OathHarness t = locked();
        Instant start = Instant.ofEpochSecond(0, t.time.epochNanos());
        for (int i = 0; i < 10; i++) {
            assertThat(attempt(t, false)).isEqualTo(WRONG);
            assertThat(t.applet.failedValidations()).isEqualTo(i + 1);
        }
        assertThat(t.waits).containsExactly(0L, 0L, 0L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L);
        // the count was already stored, one higher, when each wait began
        assertThat(t.countsDuringWaits).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(Duration.ofNanos(t.time.epochNanos() - (start.getEpochSecond() * 1_000_000_000L
                + start.getNano()))).isEqualTo(Duration.ofSeconds(91));
        // still locked
        assertThat(t.tx("00A1000000")).isEqualTo("6982");
    }

    @Test
    void aRightPasswordAlsoWaitsThenResetsTheCount() {
        OathHarness t = locked();
        for (int i = 0; i < 5; i++) {
            attempt(t, false);
        }
        t.waits.clear();
        t.countsDuringWaits.clear();
        assertThat(attempt(t, true)).isEqualTo(rightAnswer());
        assertThat(t.waits).containsExactly(4_000L);
        assertThat(t.countsDuringWaits).containsExactly(6);
        assertThat(t.applet.failedValidations()).isZero();
        assertThat(t.tx("00A1000000")).isEqualTo(OK);
        assertThat(attempt(t, false)).isEqualTo(WRONG);
        assertThat(t.waits).containsExactly(4_000L, 0L);
    }

    @Test
    void twoWrongThenRightIsNeverSlowed() {
        OathHarness t = locked();
        assertThat(attempt(t, false)).isEqualTo(WRONG);
        assertThat(attempt(t, false)).isEqualTo(WRONG);
        assertThat(attempt(t, true)).isEqualTo(rightAnswer());
        assertThat(t.waits).containsExactly(0L, 0L, 0L);
    }

    @Test
    void commandsThatAreNotGuessesAreNotCounted() {
        OathHarness t = locked();
        attempt(t, false);
        // no challenge since the last SELECT (the one above was spent)
        assertThat(t.tx(validate(hmacHex(PW_KEY, "00")))).isEqualTo(WRONG);
        // malformed
        t.select();
        assertThat(t.tx(apdu(Oath.INS_VALIDATE, 0, 0, tlv(Oath.TAG_CHALLENGE, OUR_CHALLENGE)))).isEqualTo("6A80");
        assertThat(t.applet.failedValidations()).isEqualTo(1);
        assertThat(t.waits).containsExactly(0L);
        // no password at all
        OathHarness open = new OathHarness(TransactionalMemory.fresh(8 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null), 3);
        open.select();
        assertThat(open.tx(validate(hmacHex(PW_KEY, "00")))).isEqualTo(WRONG);
        assertThat(open.applet.failedValidations()).isZero();
        assertThat(open.waits).isEmpty();
    }

    @Test
    void theCountSurvivesAPowerCycle() {
        OathHarness t = locked();
        for (int i = 0; i < 5; i++) {
            attempt(t, false);
        }
        t.boot();
        t.waits.clear();
        assertThat(t.applet.failedValidations()).isEqualTo(5);
        assertThat(attempt(t, false)).isEqualTo(WRONG);
        assertThat(t.waits).containsExactly(4_000L);
    }

    @Test
    void resetClearsTheCount() {
        OathHarness t = locked();
        for (int i = 0; i < 4; i++) {
            attempt(t, false);
        }
        assertThat(t.tx("0004DEAD")).isEqualTo(OK);
        assertThat(t.applet.failedValidations()).isZero();
    }

    @Test
    void setCodeClearsTheCountEvenWhenTheOtherInterfaceGuessed() {
        OathHarness t = locked();
        assertThat(attempt(t, true)).isEqualTo(rightAnswer());
        // the contactless side guesses while the contact side stays unlocked
        for (int i = 0; i < 4; i++) {
            String sel = HEX.formatHex(t.runtime.transmit(CardRuntime.CONTACTLESS, HEX.parseHex(OathHarness.SELECT)));
            String wrong = "00".repeat(20);
            assertThat(sel).endsWith(OK);
            assertThat(HEX.formatHex(t.runtime.transmit(CardRuntime.CONTACTLESS, HEX.parseHex(validate(wrong)))))
                    .isEqualTo(WRONG);
        }
        assertThat(t.applet.failedValidations()).isEqualTo(4);
        assertThat(t.tx(PowerCutTest.SET_CODE)).isEqualTo(OK);
        assertThat(t.applet.failedValidations()).isZero();
        for (int i = 0; i < 2; i++) {
            attempt(t, false);
        }
        assertThat(t.tx(apdu(Oath.INS_VALIDATE, 0, 0, ""))).isEqualTo("6A80");
        assertThat(attempt(t, true)).isEqualTo(rightAnswer());
        for (int i = 0; i < 2; i++) {
            attempt(t, false);
        }
        assertThat(attempt(t, true)).isEqualTo(rightAnswer());
        assertThat(t.tx(apdu(Oath.INS_SET_CODE, 0, 0, tlv(Oath.TAG_KEY, "")))).isEqualTo(OK);
        assertThat(t.applet.failedValidations()).isZero();
    }

    @Test
    void clearingThePasswordClearsTheCount() {
        OathHarness t = locked();
        assertThat(attempt(t, true)).isEqualTo(rightAnswer());
        // a wrong guess on the other interface, then the contact side clears the password
        t.runtime.transmit(CardRuntime.CONTACTLESS, HEX.parseHex(OathHarness.SELECT));
        t.runtime.transmit(CardRuntime.CONTACTLESS, HEX.parseHex(validate("00".repeat(20))));
        assertThat(t.applet.failedValidations()).isEqualTo(1);
        assertThat(t.tx(apdu(Oath.INS_SET_CODE, 0, 0, tlv(Oath.TAG_KEY, "")))).isEqualTo(OK);
        assertThat(t.applet.failedValidations()).isZero();
    }

    @Test
    void aPowerCutDuringTheWaitKeepsTheGuessCounted() {
        TransactionalMemory memory = TransactionalMemory.fresh(8 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null);
        OathHarness setup = new OathHarness(memory, 5);
        setup.select();
        setup.tx(PowerCutTest.SET_CODE);
        for (int i = 0; i < 4; i++) {
            attempt(setup, false);
        }
        OathApplet applet = new OathApplet(memory, new FakeRtc(), x -> true, new OathHarness.SeqRandom(9), millis -> {
            throw new PowerLossError("power cut during the wait");
        });
        CardRuntime runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), applet);
        String sel = HEX.formatHex(runtime.transmit(HEX.parseHex(OathHarness.SELECT)));
        String right = validate(hmacHex(PW_KEY, challengeOf(sel)));
        try {
            runtime.transmit(HEX.parseHex(right));
            throw new AssertionError("the wait should have been cut");
        } catch (PowerLossError expected) {
            // cut inside the wait, between the counted guess and its answer
        }
        setup.powerCycle();
        assertThat(setup.applet.failedValidations()).isEqualTo(5);
    }

    /**
     * A cut at every write of a wrong (or right) VALIDATE, on the simulator's journaled memory,
     * restarted from its torn physical image: the count never drops below its value before.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyCutOnTheJournaledMemoryKeepsTheCount(boolean right) {
        boolean completed = false;
        for (int n = 1; n < 100 && !completed; n++) {
            TransactionalMemory memory = TransactionalMemory.fresh(8 * 1024, TransactionalMemory.MIN_JOURNAL_SIZE, null);
            VirtualTimeSource time = new VirtualTimeSource(Instant.EPOCH);
            OathApplet applet = new OathApplet(memory, new FakeRtc(), x -> true, new OathHarness.SeqRandom(n),
                    millis -> {
                        time.advance(Duration.ofMillis(millis));
                        return true;
                    });
            CardRuntime runtime = new CardRuntime(memory);
            runtime.install(Oath.aid(), applet);
            runtime.transmit(HEX.parseHex(OathHarness.SELECT));
            assertThat(HEX.formatHex(runtime.transmit(HEX.parseHex(PowerCutTest.SET_CODE)))).isEqualTo(OK);
            for (int i = 0; i < 5; i++) {
                runtime.transmit(HEX.parseHex(OathHarness.SELECT));
                runtime.transmit(HEX.parseHex(validate("00".repeat(20))));
            }
            assertThat(applet.failedValidations()).isEqualTo(5);
            String sel = HEX.formatHex(runtime.transmit(HEX.parseHex(OathHarness.SELECT)));
            String command = validate(right ? hmacHex(PW_KEY, challengeOf(sel)) : "00".repeat(20));
            memory.setPowerCutAfterWrites(n);
            String answer = null;
            try {
                answer = HEX.formatHex(runtime.transmit(HEX.parseHex(command)));
                completed = true;
            } catch (PowerLossError expected) {
                // the chip is dead; power up from what the cells hold
            }
            TransactionalMemory again = TransactionalMemory.powerUp(memory.physicalImage(), null);
            int after = new OathApplet(again, new FakeRtc(), x -> true, new OathHarness.SeqRandom(1), millis -> true)
                    .failedValidations();
            if (answer == null && right) {
                // counted, not yet made, or (cut right after the last write) already undone by
                // the right answer, which the host then never received
                assertThat(after).as("cut after %d writes", n).isIn(5, 6, 0);
            } else if (answer == null) {
                assertThat(after).as("cut after %d writes", n).isIn(5, 6);
            } else {
                assertThat(after).isEqualTo(right ? 0 : 6);
            }
        }
        assertThat(completed).isTrue();
    }
}
