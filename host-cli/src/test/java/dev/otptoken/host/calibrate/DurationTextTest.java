package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
    @ParameterizedTest
    @CsvSource({"60, 60000", "60s, 60000", "2m, 120000", "1.5m, 90000", "1h, 3600000", "250ms, 250",
        "' 45 S ', 45000", "0.25, 250"})
    void parses(String text, long millis) throws Exception {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"0, 0 s", "400, 0 s", "500, 1 s", "12000, 12 s", "60000, 1 min", "72000, 1 min 12 s",
        "105000, 1 min 45 s", "3600000, 1 h", "3612000, 1 h 12 s", "5400000, 1 h 30 min", "86400000, 24 h"})
    void formatsAsAPersonReadsIt(long millis, String text) {
        assertThat(DurationText.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-5", "5 days", "1e3", "1,5m", "0x10", "5mm", ".5"})
    void refuses(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(DurationText.InvalidDurationException.class)
                .hasMessageContaining("not a duration");
    }

    @Property
    void anyTextIsADurationOrRefused(@ForAll String text) {
        try {
            assertThat(DurationText.parse(text).isNegative()).isFalse();
        } catch (DurationText.InvalidDurationException expected) {
            assertThat(expected.getMessage()).startsWith("not a duration");
        }
    }

    @Property
    void minutesAreSixtySeconds(@ForAll @IntRange(min = 0, max = 100_000) int n) throws Exception {
        assertThat(DurationText.parse(n + "m")).isEqualTo(DurationText.parse(Integer.toString(n * 60)));
    }
}
