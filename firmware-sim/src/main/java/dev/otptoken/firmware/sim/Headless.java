package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code --headless} protocol: one command a line on standard input ({@code press},
 * {@code long-press}, {@code status}, {@code quit}); on standard output one
 * {@code display: CODE Ns} or {@code display: off} line per change of the display. Every
 * other line starts with another word, so scripts can filter on the prefix.
 */
final class Headless {
    static final String DISPLAY = "display: ";
    static final String OFF = "off";
    /** The command that sets the temperature, with its argument after a space. */
    static final String TEMPERATURE = "temperature ";

    private final PrintStream out;

    Headless(PrintStream out) {
        this.out = out;
    }

    /** Prints a display change. */
    void display(Optional<Readout> readout) {
        synchronized (out) {
            out.println(DISPLAY + readout.map(Readout::text).orElse(OFF));
            out.flush();
        }
    }

    /** Prints a line that is not a display line. */
    void line(String text) {
        if (text.startsWith(DISPLAY.trim())) {
            throw new IllegalArgumentException("only display changes may start with display:");
        }
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    /**
     * Reads commands until {@code quit} or the end of input. The end of input stops nothing:
     * a token started with its input closed keeps serving the serial line until signalled.
     * A command that fails is logged in one line and the next one is read: an exception never
     * ends this loop, or the token would ignore {@code quit} from then on.
     */
    void readCommands(BufferedReader in, Controls controls) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String cmd = line.trim().toLowerCase(Locale.ROOT);
            try {
                if (!command(cmd, line, controls)) {
                    return;
                }
            } catch (RuntimeException e) {
                Log.error("command '{}' failed: {}", cmd, oneLine(e));
            }
        }
    }

    /** Runs one command; false after {@code quit}. */
    private boolean command(String cmd, String line, Controls controls) {
        if (cmd.equals(TEMPERATURE.trim()) || cmd.startsWith(TEMPERATURE)) {
            String arg = cmd.substring(Math.min(cmd.length(), TEMPERATURE.length())).trim();
            double celsius;
            try {
                celsius = Double.parseDouble(arg);
            } catch (NumberFormatException e) {
                celsius = Double.NaN;
            }
            if (!Double.isFinite(celsius) || celsius < TemperatureProfileFile.MIN_CELSIUS
                    || celsius > TemperatureProfileFile.MAX_CELSIUS) {
                line("error: temperature needs a number of °C from -60 to 125, such as 'temperature 31.5'");
            } else {
                controls.temperature(celsius);
                line(String.format(Locale.ROOT, "temperature: %.2f", celsius));
            }
            return true;
        }
        switch (cmd) {
            case "" -> { }
            case "press" -> controls.press();
            case "long-press" -> controls.longPress();
            case "status" -> line("status: " + controls.status());
            case "quit" -> {
                controls.quit();
                return false;
            }
            default -> line("error: unknown command '" + line.trim()
                    + "' (press, long-press, status, temperature C, quit)");
        }
        return true;
    }

    private static String oneLine(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
