package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.imports.ImportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportPasswordsTest {
    @TempDir
    Path dir;

    @Test
    void theFirstLineOfThePasswordFileWithoutItsLineEnd() throws Exception {
        Path file = Files.write(dir.resolve("pw"), "pässwörd ✓ \r\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        ExportPasswords p = new ExportPasswords(file, null);
        assertThat(p.password("a.json")).containsExactly("pässwörd ✓ ".toCharArray());
        assertThat(p.password("b.2fas")).as("every encrypted file gets the same line").containsExactly(
                "pässwörd ✓ ".toCharArray());
        Path noNewline = Files.writeString(dir.resolve("pw2"), "x");
        assertThat(new ExportPasswords(noNewline, null).password("a")).containsExactly('x');
    }

    @Test
    void anEmptyMissingLongOrNonUtf8FirstLineIsRefusedWithoutQuotingIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\nsecret on line two\n");
        assertThatThrownBy(() -> new ExportPasswords(empty, null).password("a")).isInstanceOf(ImportException.class)
                .hasMessage("--export-password-file " + empty + ": the first line is empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> new ExportPasswords(missing, null).password("a"))
                .hasMessage("--export-password-file " + missing + ": no such file");
        Path longLine = Files.writeString(dir.resolve("long"), "y".repeat(5000));
        assertThatThrownBy(() -> new ExportPasswords(longLine, null).password("a"))
                .hasMessage("--export-password-file " + longLine + ": the first line is longer than 4096 bytes");
        Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'p', (byte) 0xe4, 's', 's'});
        assertThatThrownBy(() -> new ExportPasswords(latin1, null).password("a"))
                .hasMessage("--export-password-file " + latin1 + ": the first line is not UTF-8 text");
    }

    @Test
    void withoutAFileOrATerminalTheUserIsToldHowToGiveIt() {
        assertThatThrownBy(() -> new ExportPasswords(null, null).password("vault.json"))
                .isInstanceOf(ImportException.class)
                .hasMessage("encrypted: give its password with --export-password-file FILE (first line), or run on a"
                        + " terminal to be asked")
                .satisfies(e -> assertThat(Failures.exitStatus(e)).isEqualTo(ExitStatus.BAD_INPUT));
    }
}
