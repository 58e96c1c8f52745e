package dev.otptoken.protocol.text;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalTextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain Example:alice@example.com | plain Example:alice@example.com",
        "Ünïcödé 日本語 ✓ 🙂               | Ünïcödé 日本語 ✓ 🙂",
        "'\u001b[31mred\u001b[0m'           | \\x1b[31mred\\x1b[0m",
        "'\u001b]0;title\u0007'             | \\x1b]0;title\\x07",
        "'line\nforged'                     | line\\x0aforged",
        "'over\rwrite'                      | over\\x0dwrite",
        "'del\u007f'                        | del\\x7f",
        "'c1\u009bcsi'                      | c1\\u009bcsi",
        "'\u202eevil.exe'                   | \\u202eevil.exe",
        "'zero\u200bwidth'                  | zero\\u200bwidth",
        "'iso\u2066late\u2069'              | iso\\u2066late\\u2069",
        "'sep\u2028line'                    | sep\\u2028line",
    })
    void escapesWhatATerminalWouldActOn(String raw, String shown) {
        assertThat(TerminalText.escape(raw)).isEqualTo(shown);
    }

    @org.junit.jupiter.api.Test
    void nulIsEscaped() {
        assertThat(TerminalText.escape("nul\u0000byte")).isEqualTo("nul\\x00byte");
    }

    @Property
    void theEscapedFormHasNothingATerminalActsOn(@ForAll String raw) {
        String shown = TerminalText.escape(raw);
        assertThat(TerminalText.firstActing(shown)).isEmpty();
        assertThat(shown.codePoints().noneMatch(TerminalText::acts)).isTrue();
    }

    @Property
    void textWithoutSuchCharactersIsUnchanged(@ForAll String raw) {
        boolean clean = raw.codePoints().noneMatch(TerminalText::acts);
        assertThat(TerminalText.escape(raw).equals(raw)).isEqualTo(clean);
        assertThat(TerminalText.firstActing(raw).isEmpty()).isEqualTo(clean);
    }

    /** Columns as a terminal (and wcwidth(3)) counts them: what lining up a list of names needs. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Example:alice|13", "日本銀行:太郎|13", "한글|4", "ｆｕｌｌ|8", "e\u0301cole|5", "🔑 key|6", "ﾊﾝｶｸ|4",
        "Ünïcödé|7", "a\u200bb|2"})
    void columnsAreWhatATerminalShows(String text, int columns) {
        assertThat(TerminalText.columns(text.translateEscapes())).isEqualTo(columns);
    }

    @Property
    void printableAsciiTakesOneColumnACharacter(@ForAll @net.jqwik.api.constraints.CharRange(from = ' ', to = '~')
                                                String text) {
        assertThat(TerminalText.columns(text)).isEqualTo(text.length());
    }

    @Property
    void noCharacterTakesMoreThanTwoColumns(@ForAll int cp) {
        int c = Math.floorMod(cp, Character.MAX_CODE_POINT + 1);
        assertThat(TerminalText.columns(c)).isBetween(0, 2);
    }
}
