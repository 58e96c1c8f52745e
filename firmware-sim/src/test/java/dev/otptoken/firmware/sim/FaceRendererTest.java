package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.ui.Readout;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaceRendererTest {
    /** Segments a..g of "1" (b, c) and "8" (all). */
    static final int ONE = 0b0000110;
    static final int EIGHT = 0b1111111;

    @Test
    void bigDigitsLightTheirSegments() {
        String[] rows = FaceRenderer.digits(new int[] {ONE, EIGHT}, 2);
        assertThat(rows).containsExactly(
                "       " + " ███   ",
                "    █  " + "█   █  ",
                "       " + " ███   ",
                "    █  " + "█   █  ",
                "       " + " ███   ");
    }

    @Test
    void theLastSecondsAreRedAndBlinking() {
        String marked = FaceRenderer.frame(7, Optional.of(new Readout(0, "18", 4, true)),
                new int[] {ONE, EIGHT}, 30, 2, 0, false);
        String calm = FaceRenderer.frame(7, Optional.of(new Readout(0, "18", 20, false)),
                new int[] {ONE, EIGHT}, 30, 2, 0, false);
        assertThat(marked).contains(FaceRenderer.MARK).contains("4 s").contains("account 1/2");
        assertThat(calm).doesNotContain(FaceRenderer.MARK).contains("[" + "=".repeat(20) + " ".repeat(10) + "] 20 s");
    }

    @Test
    void offAndTouch() {
        String off = FaceRenderer.frame(7, Optional.empty(), new int[0], 30, 0, 0, true);
        assertThat(off).contains("display off").contains("touch requested").contains("[q] quit");
    }
}
