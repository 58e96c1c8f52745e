package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The columns of list and code line up on a terminal, whatever script the names are in. */
class TableTest {
    private static List<String> table(List<List<String>> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TokenCommand.table(new PrintStream(bytes, true, StandardCharsets.UTF_8), rows);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void wideCharactersCountTwoColumnsAndCombiningMarksNone() {
        assertThat(table(List.of(List.of("Example:alice", "123456"), List.of("日本銀行:太郎", "654321"),
                List.of("e\u0301cole", "000000"), List.of("x", "111111")))).containsExactly(
                "Example:alice  123456",
                "日本銀行:太郎  654321",
                "e\u0301cole          000000",
                "x              111111");
    }

    @Test
    void aNameATerminalWouldActOnIsPaddedAsItIsShownEscaped() {
        assertThat(table(List.of(List.of("a\u001bb", "1"), List.of("abcdefg", "2"))))
                .containsExactly("a\\x1bb   1", "abcdefg  2");
    }
}
