package dev.otptoken.xdg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class XdgBaseDirectoryTest {
    private static final String HOME = "/home/ada";

    @Test
    void unsetVariablesGiveTheDefaultsUnderHome() throws NoHomeDirectoryException {
        assertThat(XdgBaseDirectory.CONFIG.in(Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.config"));
        assertThat(XdgBaseDirectory.STATE.in(Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.local/state"));
        assertThat(XdgBaseDirectory.CACHE.in(Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.cache"));
    }

    @Test
    void eachDirectoryReadsItsOwnVariable() throws NoHomeDirectoryException {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", "/c", "XDG_STATE_HOME", "/s", "XDG_CACHE_HOME", "/k");
        assertThat(XdgBaseDirectory.CONFIG.in(env, HOME)).isEqualTo(Path.of("/c"));
        assertThat(XdgBaseDirectory.STATE.in(env, HOME)).isEqualTo(Path.of("/s"));
        assertThat(XdgBaseDirectory.CACHE.in(env, HOME)).isEqualTo(Path.of("/k"));
    }

    @Test
    void anEmptyOrRelativeValueIsIgnoredAsTheSpecificationSays() throws NoHomeDirectoryException {
        for (String value : new String[] {"", " ", "state", "./state", "~/state", "../x"}) {
            assertThat(XdgBaseDirectory.STATE.in(Map.of("XDG_STATE_HOME", value), HOME)).as("'%s'", value)
                    .isEqualTo(Path.of("/home/ada/.local/state"));
        }
    }

    @Test
    void withoutAHomeOnlyAnAbsoluteVariableWillDo() throws NoHomeDirectoryException {
        // the JDK's user.home of a user missing from the password database
        assertThat(XdgBaseDirectory.CONFIG.in(Map.of("XDG_CONFIG_HOME", "/c"), "?")).isEqualTo(Path.of("/c"));
        for (String home : new String[] {"?", "", "relative/home", null}) {
            assertThatThrownBy(() -> XdgBaseDirectory.CONFIG.in(Map.of("XDG_CONFIG_HOME", "rel"), home))
                    .isInstanceOf(NoHomeDirectoryException.class)
                    .hasMessage("XDG_CONFIG_HOME is unset or not an absolute path, and there is no home directory"
                            + " for ~/.config: set XDG_CONFIG_HOME");
        }
    }

    @Property
    void theResultIsAlwaysAbsoluteAndIsTheValueExactlyWhenTheValueIsAbsolute(
            @ForAll("values") String value, @ForAll XdgBaseDirectory dir) throws NoHomeDirectoryException {
        Path p = dir.in(Map.of(dir.variable(), value), HOME);
        assertThat(p.isAbsolute()).isTrue();
        if (value.startsWith("/")) {
            assertThat(p).isEqualTo(Path.of(value));
        } else {
            assertThat(p.startsWith(HOME)).isTrue();
        }
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abc.~-_ ").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> relative = segment.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
        return Arbitraries.oneOf(relative, relative.map(r -> "/" + r), Arbitraries.just(""), Arbitraries.just("/"));
    }
}
