package dev.otptoken.host.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.session.TokenAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenReportTest {
    private static final TokenAddress PORT = new TokenAddress.SerialPort("/dev/pts/4");

    @Test
    void namesAreGroupedByStateInTheInputsOrder() {
        TokenReport r = new TokenReport(PORT, List.of("a", "b", "c", "d", "e"), List.of(AccountState.PROVEN,
                AccountState.WRITTEN, AccountState.PROVEN, AccountState.UNKNOWN, AccountState.ABSENT));
        assertThat(r.names(AccountState.PROVEN)).containsExactly("a", "c");
        assertThat(r.names(AccountState.WRITTEN)).containsExactly("b");
        assertThat(r.names(AccountState.UNKNOWN)).containsExactly("d");
        assertThat(r.names(AccountState.ABSENT)).containsExactly("e");
        assertThat(r.allProven()).isFalse();
        assertThat(new TokenReport(PORT, List.of("a"), List.of(AccountState.PROVEN)).allProven()).isTrue();
    }

    @Test
    void everyNameHasOneState() {
        assertThatThrownBy(() -> new TokenReport(PORT, List.of("a", "b"), List.of(AccountState.PROVEN)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
