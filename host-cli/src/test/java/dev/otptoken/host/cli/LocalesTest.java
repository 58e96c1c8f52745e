package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalesTest {
    @Test
    void aCharacterTheLocaleCouldNotDecodeIsRefusedAndNamed() {
        assertThat(Locales.unreadable(new String[] {"--port", "/dev/pts/3", "add", "Caf\u00e9:zo\u00eb"})).isEmpty();
        assertThat(Locales.unreadable(new String[] {"add", "Caf\uFFFD\uFFFD:a"})).hasValueSatisfying(words -> assertThat(words)
                .startsWith("the command line holds bytes that the locale's character set (")
                .endsWith(") cannot read: nothing was done; run otptoken in a UTF-8 locale (LC_ALL=C.UTF-8)"));
        assertThat(Locales.unreadable(new String[0])).isEmpty();
        assertThat(Locales.unreadable("p\u00e4ssw\u00f6rd".toCharArray())).isEmpty();
        assertThat(Locales.unreadable("p\uFFFD\uFFFDssw".toCharArray())).hasValueSatisfying(words -> assertThat(words)
                .startsWith("holds bytes that the locale's character set (").doesNotContain("ssw"));
    }
}
