package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.hardware.clock.TemperatureProfile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemperatureProfileFileTest {
    static final long S = 1_000_000_000L;
    static final long START = 1_800_000_000L * S;

    @Test
    void aDailyCycle() throws Exception {
        TemperatureProfile p = TemperatureProfileFile.parse(List.of("# a day", "0,12", "6h, 9", "14h,22.5  # noon-ish",
                "24h,12", "repeat"), START, "f");
        assertThat(p.celsiusAt(START)).isEqualTo(12);
        assertThat(p.celsiusAt(START + 14 * 3600 * S)).isEqualTo(22.5);
        assertThat(p.celsiusAt(START + 10 * 86_400 * S + 14 * 3600 * S)).isEqualTo(22.5);
        assertThat(p.celsiusAt(START + 3 * 3600 * S)).isEqualTo(10.5);
    }

    @Test
    void withoutRepeatTheLastTemperatureStays() throws Exception {
        TemperatureProfile p = TemperatureProfileFile.parse(List.of("0,10", "90,20", "1.5d,30"), START, "f");
        assertThat(p.celsiusAt(START + 45 * S)).isEqualTo(15);
        assertThat(p.celsiusAt(START + 100 * 86_400 * S)).isEqualTo(30);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0,10;0,12|f line 2: times must increase from line to line",
        "0,10;1h|f line 2: expected TIME,°C such as 6h,18.5 (or 'repeat')",
        "1w,10|f line 1: time '1w' is not a duration since the start such as 90, 90s, 15m, 6h or 2.5d",
        "0,warm|f line 1: temperature 'warm' is not a number",
        "0,200|f line 1: temperature must be between -60 and 125 °C",
        "# nothing|f: no TIME,°C point",
        "0,10;repeat|f: a repeating profile needs two points or more",
        "0,10;1h,12;repeat;2h,13|f line 4: no point may follow 'repeat'",
    })
    void badFilesAreRefusedInOneLine(String lines, String message) {
        assertThatThrownBy(() -> TemperatureProfileFile.parse(List.of(lines.split(";")), START, "f"))
                .isInstanceOf(TemperatureProfileFile.BadProfileException.class).hasMessage(message);
    }
}
