package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.firmware.ui.Readout;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeadlessTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Headless headless = new Headless(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    final RecordingControls controls = new RecordingControls();
    final List<String> calls = controls.calls;

    String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void displayLines() {
        headless.display(Optional.of(new Readout(0, "123456", 17, false)));
        headless.display(Optional.of(new Readout(0, "12345678", 5, true)));
        headless.display(Optional.empty());
        assertThat(output()).isEqualTo("display: 123456 17s\ndisplay: 12345678 5s\ndisplay: off\n"
                .replace("\n", System.lineSeparator()));
    }

    @Test
    void commandsAreDispatchedUntilQuit() throws IOException {
        headless.readCommands(new BufferedReader(new StringReader(
                "press\n  LONG-PRESS \n\nstatus\nbogus\nquit\npress\n")), controls);
        assertThat(calls).containsExactly("press", "long", "status", "quit");
        assertThat(output().lines()).containsExactly("status: serial=1",
                "error: unknown command 'bogus' (press, long-press, status, temperature C, quit)");
    }

    @Test
    void aCommandThatThrowsDoesNotEndTheLoop() throws IOException {
        Controls failing = new Controls() {
            @Override
            public void press() {
                calls.add("press");
                throw new ArrayIndexOutOfBoundsException("Index 255 out of bounds for length 214");
            }

            @Override
            public void longPress() {
                throw new IllegalStateException("broken");
            }

            @Override
            public void temperature(double celsius) {
                controls.temperature(celsius);
            }

            @Override
            public String status() {
                return controls.status();
            }

            @Override
            public void quit() {
                controls.quit();
            }
        };
        headless.readCommands(new BufferedReader(new StringReader("press\nlong-press\npress\nstatus\nquit\n")),
                failing);
        assertThat(calls).containsExactly("press", "press", "status", "quit");
        assertThat(output().lines()).containsExactly("status: serial=1");
    }

    @Test
    void theEndOfInputStopsNothing() throws IOException {
        headless.readCommands(new BufferedReader(new StringReader("press")), controls);
        assertThat(calls).containsExactly("press");
    }

    @Test
    void onlyDisplayChangesMayStartWithDisplay() {
        assertThatThrownBy(() -> headless.line("display: 000000 1s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void temperatureChangesAtRunTime() throws IOException {
        headless.readCommands(new BufferedReader(new StringReader(
                "temperature 31.5\nTemperature -7\ntemperature\ntemperature hot\ntemperature 200\nquit\n")), controls);
        assertThat(calls).containsExactly("temperature 31.5", "temperature -7.0", "quit");
        assertThat(output().lines()).containsExactly("temperature: 31.50", "temperature: -7.00",
                "error: temperature needs a number of °C from -60 to 125, such as 'temperature 31.5'",
                "error: temperature needs a number of °C from -60 to 125, such as 'temperature 31.5'",
                "error: temperature needs a number of °C from -60 to 125, such as 'temperature 31.5'");
    }
}
