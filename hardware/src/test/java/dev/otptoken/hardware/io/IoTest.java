package dev.otptoken.hardware.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.oath.SteamCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IoTest {
    @Test
    void digitMasks() {
        int[] expected = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};
        for (int d = 0; d < 10; d++) {
            assertThat(SevenSegment.encode((char) ('0' + d))).as("digit %d", d).isEqualTo(expected[d]);
        }
        assertThat(SevenSegment.encode('-')).isEqualTo(0x40);
        assertThat(SevenSegment.encode(' ')).isZero();
    }

    /** Every character of a Steam code has a glyph of its own: the code can be read off the display. */
    @Test
    void steamAlphabetHasDistinctNonBlankGlyphs() {
        Set<Integer> masks = new HashSet<>();
        for (char c : SteamCode.ALPHABET.toCharArray()) {
            int m = SevenSegment.encode(c);
            assertThat(m).as("glyph of %s", c).isNotZero();
            assertThat(masks.add(m)).as("glyph of %s is another character's", c).isTrue();
        }
        assertThat(masks).hasSize(26);
        assertThat(SevenSegment.encode('G')).isEqualTo(0x3D);
        assertThat(SevenSegment.encode('Y')).isEqualTo(0x6E);
    }

    @Test
    void displayShowsAFiveCharacterSteamCodeRightAligned() {
        Display d = new Display();
        d.show("FR8RV", 3, 27, false, false);
        DisplayState s = d.state();
        assertThat(s.text()).isEqualTo("FR8RV");
        assertThat(s.segments()).containsExactly(0, 0, 0, SevenSegment.encode('F'), SevenSegment.encode('R'),
                SevenSegment.encode('8'), SevenSegment.encode('R'), SevenSegment.encode('V'));
    }

    @Test
    void buttonClassifiesPresses() {
        Button b = new Button();
        List<ButtonEvent> got = new ArrayList<>();
        b.addListener(got::add);
        b.press(0, 1_999_999_999L);
        b.pressDown(10_000_000_000L);
        b.release(12_000_000_000L);
        b.release(13_000_000_000L);
        assertThat(got).containsExactly(new ButtonEvent(ButtonEvent.Kind.SHORT, 1_999_999_999L, 1_999_999_999L),
                new ButtonEvent(ButtonEvent.Kind.LONG, 12_000_000_000L, 2_000_000_000L));
    }

    @Test
    void displayNotifiesChanges() {
        Display d = new Display();
        List<DisplayState> got = new ArrayList<>();
        d.addListener(got::add);
        d.show("123456", 2, 4, true, false);
        d.show("123456", 2, 4, true, false);
        d.off();
        assertThat(got).hasSize(2);
        DisplayState s = got.get(0);
        assertThat(s.on()).isTrue();
        assertThat(s.segments()).containsExactly(0, 0, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D);
        assertThat(s.marked()).isTrue();
        assertThat(s.account()).isEqualTo(2);
        assertThat(got.get(1)).isEqualTo(DisplayState.OFF);
        assertThat(d.state().on()).isFalse();
    }
}
