package dev.otptoken.host.otpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtpInputTest {

    @Test
    void dispatchesOnTheScheme() throws InvalidUriException {
        OtpInput single = OtpInput.parse("  otpauth://totp/me?secret=JBSWY3DPEHPK3PXP\n");
        assertThat(single).isInstanceOf(OtpInput.Single.class);
        assertThat(single.credentials()).hasSize(1);
        assertThat(single.skipped()).isEmpty();
        assertThat(single.toString()).doesNotContain("JBSWY3DPEHPK3PXP");
        OtpInput migration = OtpInput.parse("OTPAUTH-MIGRATION://offline?data=CgsKBUhlbGxvEgJtZRAB");
        assertThat(migration).isInstanceOf(OtpInput.Migration.class);
        single.destroy();
        assertThat(single.isDestroyed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com", "", "WIFI:S:home;T:WPA;P:pw;;", "otpauth:/totp/x", "otpauth-migration:offline"})
    void refusesOtherText(String text) {
        assertThatThrownBy(() -> OtpInput.parse(text))
                .isInstanceOf(InvalidUriException.class)
                .hasMessage(OtpInput.NOT_OTPAUTH);
    }
}
