package dev.otptoken.firmware.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ButtonTouchGateTest {
    /** A stopping token ends a touch wait at once, as not touched, and waits for no later one. */
    @Test
    void cancelEndsAWaitNowAndLaterOnesAtOnce() throws Exception {
        ButtonTouchGate gate = new ButtonTouchGate();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> gate.awaitTouch(60_000));
        while (!gate.isWaiting()) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        gate.cancel();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(gate.awaitTouch(60_000)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("not the time-out").isLessThan(10);
        assertThat(gate.isWaiting()).isFalse();
        assertThat(gate.release()).as("nobody waits").isFalse();
    }

    @Test
    void aPressReleasesAWaitAndIsNotRememberedAfterwards() throws Exception {
        ButtonTouchGate gate = new ButtonTouchGate();
        assertThat(gate.release()).as("a press with nobody waiting").isFalse();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> gate.awaitTouch(60_000));
        while (!gate.isWaiting()) {
            Thread.onSpinWait();
        }
        assertThat(gate.release()).isTrue();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.awaitTouch(50)).as("the earlier press is not kept").isFalse();
    }
}
