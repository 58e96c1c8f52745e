package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private static Passwords stdin(String text) {
        return new Passwords(true, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), false);
    }

    @Test
    void readsOneLinePerPasswordWithoutTheLineEnd() throws Exception {
        Passwords p = stdin("old pw\r\nnéw\n");
        assertThat(p.read("x")).containsExactly('o', 'l', 'd', ' ', 'p', 'w');
        assertThat(p.readNew("y")).containsExactly('n', 'é', 'w');
        assertThatThrownBy(() -> p.read("z")).isInstanceOf(UnusablePasswordException.class)
                .hasMessageContaining("no password on standard input");
    }

    @Test
    void anEmptyLineIsNoPasswordAndAUsageError() {
        Passwords p = stdin("\nsecond\n");
        assertThatThrownBy(() -> p.read("x")).isInstanceOf(UnusablePasswordException.class)
                .satisfies(e -> assertThat(Failures.exitStatus(e)).isEqualTo(ExitStatus.USAGE));
        Passwords crlf = stdin("\r\n");
        assertThatThrownBy(() -> crlf.read("x")).isInstanceOf(UnusablePasswordException.class);
    }

    @Test
    void withoutStdinOrConsoleThereIsNoPassword() throws Exception {
        assertThat(new Passwords(false, new ByteArrayInputStream(new byte[0]), false).read("x")).isNull();
    }
}
