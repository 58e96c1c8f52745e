package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.sim.FaceRenderer.Info;
import dev.otptoken.firmware.sim.FaceRenderer.Style;
import dev.otptoken.firmware.ui.Readout;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaceRendererTest {
    /** Segments a..g of "1" (b, c) and "8" (all). */
    static final int ONE = 0b0000110;
    static final int EIGHT = 0b1111111;
    static final Info ALICE = new Info("otptoken", 7, "port /dev/pts/3", 5, 1, "Example:alice");
    static final Info EVIL = new Info("otptoken", 7, "port /dev/pts/3", 2, 0, "Evil\u001b[2J\u001b]0;x\u0007:bob\nforged");
    /** Select Graphic Rendition: colour, bold, dim, blink. */
    static final Pattern SGR = Pattern.compile("\u001b\\[[0-9;]*m");

    static final String BIG_18 = "  " + "       " + " ███   " + "\n"
            + "  " + "    █  " + "█   █  " + "\n"
            + "  " + "       " + " ███   " + "\n"
            + "  " + "    █  " + "█   █  " + "\n"
            + "  " + "       " + " ███   " + "\n";

    private static String frame(Style style, Info info, Readout r, boolean touch) {
        return FaceRenderer.frame(style, info, Optional.ofNullable(r), r == null ? new int[0] : new int[] {ONE, EIGHT},
                30, touch);
    }

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
    void theFaceNamesThePortAndTheSelectedAccount() {
        assertThat(frame(Style.ANSI, ALICE, new Readout(1, "18", 20, false), false)).isEqualTo(
                FaceRenderer.CLEAR
                + "  otptoken  serial 7   account 2/5  Example:alice\n"
                + "  port /dev/pts/3\n"
                + "\n"
                + BIG_18
                + "\n"
                + "  [" + "=".repeat(20) + " ".repeat(10) + "] 20 s\n"
                + "\n"
                + "\n"
                + "  " + FaceRenderer.DIM + "[space/enter] press   [l] long press (next account)   [q] quit"
                + FaceRenderer.RESET + "\n");
    }

    @Test
    void theLastSecondsAreRedAndBlinking() {
        String marked = frame(Style.ANSI, ALICE, new Readout(1, "18", 4, true), false);
        assertThat(marked).contains("  " + FaceRenderer.MARK + "[====" + " ".repeat(26) + "] 4 s"
                + FaceRenderer.RESET + "\n").doesNotContain(FaceRenderer.EXPIRING);
        String calm = frame(Style.ANSI, ALICE, new Readout(1, "18", 20, false), false);
        assertThat(calm).doesNotContain(FaceRenderer.MARK);
    }

    @Test
    void withNoColorTheFaceRedrawsInPlaceWithoutColourAndSaysWhatRedWouldHave() {
        assertThat(frame(Style.NO_COLOR, ALICE, new Readout(1, "18", 4, true), true)).isEqualTo(
                FaceRenderer.CLEAR
                + "  otptoken  serial 7   account 2/5  Example:alice\n"
                + "  port /dev/pts/3\n"
                + "\n"
                + BIG_18
                + "\n"
                + "  [====" + " ".repeat(26) + "] 4 s  expiring\n"
                + "\n"
                + "  touch requested: press the button\n"
                + "  [space/enter] press   [l] long press (next account)   [q] quit\n");
        assertThat(frame(Style.NO_COLOR, ALICE, null, false)).doesNotContainPattern(SGR).contains("  display off\n");
        assertThat(FaceRenderer.keyFrame(Style.NO_COLOR, ALICE, true)).doesNotContainPattern(SGR);
    }

    @Test
    void aDumbTerminalGetsPlainLinesOnly() {
        assertThat(frame(Style.DUMB, ALICE, new Readout(1, "18", 4, true), false)).isEqualTo(
                "otptoken  serial 7  account 2/5  Example:alice  port /dev/pts/3\n"
                + "  18  [====" + " ".repeat(26) + "] 4 s  expiring\n");
        assertThat(frame(Style.DUMB, ALICE, null, true)).isEqualTo(
                "otptoken  serial 7  account 2/5  Example:alice  port /dev/pts/3\n"
                + "  display off\n"
                + "  touch requested: press the button\n");
        assertThat(FaceRenderer.keyFrame(Style.DUMB, new Info("yubikey-5-nfc", 7, "port /dev/pts/4", 0, 0, ""), true))
                .isEqualTo("yubikey-5-nfc  serial 7  port /dev/pts/4\n  touch requested: press the button\n");
        assertThat(Style.DUMB.begin(true) + Style.DUMB.end())
                .isEqualTo("keys: [space/enter] press   [l] long press (next account)   [q] quit\n");
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void aNameCannotActOnTheTerminal(Style style) {
        String f = frame(style, EVIL, new Readout(0, "18", 20, false), false);
        assertThat(f).contains("account 1/2  Evil\\x1b[2J\\x1b]0;x\\x07:bob\\x0aforged");
        String withoutOwnEscapes = f.replace(FaceRenderer.CLEAR, "").replace(FaceRenderer.DIM, "")
                .replace(FaceRenderer.MARK, "").replace(FaceRenderer.RESET, "");
        assertThat(withoutOwnEscapes).doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(f.lines().filter(l -> l.contains("forged"))).singleElement().asString().contains("account 1/2");
        if (style == Style.DUMB) {
            assertThat(f).doesNotContain("\u001b");
        }
    }

    @Test
    void aPortNameIsEscapedToo() {
        Info odd = new Info("otptoken", 7, "port /tmp/x\u001b[31m", 0, 0, "");
        assertThat(frame(Style.DUMB, odd, null, false))
                .isEqualTo("otptoken  serial 7  account -  port /tmp/x\\x1b[31m\n  display off\n");
    }

    @Test
    void offAndTouch() {
        String off = frame(Style.ANSI, new Info("otptoken", 7, "port /dev/pts/3", 0, 0, ""), null, true);
        assertThat(off).contains("account -\n").contains("display off").contains("touch requested")
                .contains("[q] quit");
    }

    @Test
    void theStyleFollowsTermAndNoColor() {
        assertThat(Style.of(Map.of())).isEqualTo(Style.ANSI);
        assertThat(Style.of(Map.of("TERM", "xterm-256color"))).isEqualTo(Style.ANSI);
        assertThat(Style.of(Map.of("NO_COLOR", ""))).isEqualTo(Style.ANSI);
        assertThat(Style.of(Map.of("NO_COLOR", "1"))).isEqualTo(Style.NO_COLOR);
        assertThat(Style.of(Map.of("NO_COLOR", "0", "TERM", "xterm"))).isEqualTo(Style.NO_COLOR);
        assertThat(Style.of(Map.of("TERM", "dumb"))).isEqualTo(Style.DUMB);
        assertThat(Style.of(Map.of("TERM", "dumb", "NO_COLOR", "1"))).isEqualTo(Style.DUMB);
        assertThat(Style.ANSI.begin(true)).isEqualTo(FaceRenderer.HIDE_CURSOR);
        assertThat(Style.NO_COLOR.end()).isEqualTo(FaceRenderer.SHOW_CURSOR + "\n");
    }
}
