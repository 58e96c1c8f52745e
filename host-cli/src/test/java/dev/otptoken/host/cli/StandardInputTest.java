package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A byte order mark (as a Windows editor saves UTF-8) is not part of the first line, as in a file of URIs. */
class StandardInputTest {
    private static final String URI = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aByteOrderMarkBeforeTheLineIsDropped() throws Exception {
        assertThat(StandardInput.line(in("\uFEFF" + URI + "\r\n"), "otpauth URI")).isEqualTo(URI);
        assertThat(StandardInput.lines(in("\uFEFF" + URI + "\n# note\n" + URI + "2\n"), "otpauth URI"))
                .extracting(StandardInput.Line::number, StandardInput.Line::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, URI), org.assertj.core.groups.Tuple.tuple(3, URI + "2"));
    }

    @Test
    void onlyAtTheStart() throws Exception {
        assertThat(StandardInput.line(in("a\uFEFFb\n"), "x")).isEqualTo("a\uFEFFb");
    }
}
