package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalesTest {
    @Test
    void aCharacterTheLocaleCouldNotDecodeIsRefused() {
        assertThat(Locales.unreadable(new String[] {"--port", "/dev/pts/3", "add", "Caf\u00e9:zo\u00eb"})).isEmpty();
        assertThat(Locales.unreadable(new String[0])).isEmpty();
        assertThat(Locales.unreadable(new String[] {"add", "Caf\uFFFD\uFFFD:a"})).hasValue("the command line "
                + Locales.holds(Locales.charset()) + ": nothing was done; " + Locales.remedy(Locales.charset()));
        assertThat(Locales.unreadable("p\u00e4ssw\u00f6rd".toCharArray())).isEmpty();
        assertThat(Locales.unreadable("p\uFFFD\uFFFDssw".toCharArray())).hasValueSatisfying(words -> assertThat(words)
                .startsWith("holds bytes that").doesNotContain("ssw"));
    }

    /** In an ASCII locale the way out is another locale; in a UTF-8 one, bytes that are not UTF-8 are the fault. */
    @Test
    void theWordsNameTheCharacterSetAndWhatToDo() {
        assertThat(Locales.holds("ANSI_X3.4-1968")).isEqualTo("holds bytes that the locale's character set"
                + " (ANSI_X3.4-1968) cannot read");
        assertThat(Locales.remedy("ANSI_X3.4-1968")).isEqualTo("run otptoken in a UTF-8 locale (LC_ALL=C.UTF-8)");
        assertThat(Locales.holds("UTF-8")).isEqualTo("holds bytes that are not UTF-8");
        assertThat(Locales.remedy("UTF-8")).isEqualTo("give it as UTF-8 text");
    }
}
