package dev.otptoken.firmware.sim;

import dev.otptoken.files.FileReason;
import dev.otptoken.hardware.clock.PeriodicTemperature;
import dev.otptoken.hardware.clock.PiecewiseLinearTemperature;
import dev.otptoken.hardware.clock.TemperatureProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --temperature-profile FILE} of the simulator (docs/otptoken-sim.md,
 * "Temperature"): one {@code TIME,°C} point a line, TIME the simulated time since the
 * start ({@code 90}, {@code 90s}, {@code 15m}, {@code 6h}, {@code 2.5d}), strictly
 * increasing; linear between points, the first temperature before the first point and the
 * last after the last. A line {@code repeat} makes the points a cycle that starts again
 * after the last one: a file over 24 h is a daily cycle, one over 365 d a seasonal one with
 * its days in it. {@code #} starts a comment.
 */
final class TemperatureProfileFile {
    private static final Pattern TIME = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(s|m|h|d)?");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Most points a file may hold (a year of points every 10 minutes). */
    static final int MAX_POINTS = 60_000;
    static final double MIN_CELSIUS = -60;
    static final double MAX_CELSIUS = 125;
    /** The longest time a point may have, seconds (100 years). */
    private static final double MAX_SECONDS = 100 * 365.25 * 86_400;
    private static final long MAX_FILE_BYTES = 4L << 20;

    private TemperatureProfileFile() {
    }

    /** A problem with the file, in one line naming the file and the line. */
    static final class BadProfileException extends Exception {
        private static final long serialVersionUID = 1L;

        BadProfileException(String message) {
            super(message);
        }
    }

    /** Reads the file; its times count from {@code startNanos}, the simulator's start. */
    static TemperatureProfile read(Path file, long startNanos) throws BadProfileException {
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) {
                throw new BadProfileException("--temperature-profile " + file + ": not a regular file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new BadProfileException("--temperature-profile " + file + ": larger than 4 MiB");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadProfileException("--temperature-profile " + file + ": " + FileReason.reading(e));
        }
        return parse(lines, startNanos, "--temperature-profile " + file);
    }

    static TemperatureProfile parse(List<String> lines, long startNanos, String what) throws BadProfileException {
        List<Long> times = new ArrayList<>();
        List<Double> temps = new ArrayList<>();
        boolean repeat = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (text.isEmpty()) {
                continue;
            }
            String where = what + " line " + (i + 1) + ": ";
            if (text.equalsIgnoreCase("repeat")) {
                repeat = true;
                continue;
            }
            if (repeat) {
                throw new BadProfileException(where + "no point may follow 'repeat'");
            }
            String[] parts = text.split(",", -1);
            if (parts.length != 2) {
                throw new BadProfileException(where + "expected TIME,°C such as 6h,18.5 (or 'repeat')");
            }
            Matcher m = TIME.matcher(parts[0].trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new BadProfileException(where + "time '" + parts[0].trim()
                        + "' is not a duration since the start such as 90, 90s, 15m, 6h or 2.5d");
            }
            double seconds = Double.parseDouble(m.group(1)) * unitSeconds(m.group(2));
            if (seconds > MAX_SECONDS) {
                throw new BadProfileException(where + "time beyond 100 years");
            }
            double celsius;
            try {
                celsius = Double.parseDouble(parts[1].trim());
            } catch (NumberFormatException e) {
                throw new BadProfileException(where + "temperature '" + parts[1].trim() + "' is not a number");
            }
            if (!Double.isFinite(celsius) || celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
                throw new BadProfileException(where + "temperature must be between -60 and 125 °C");
            }
            long at = startNanos + Math.round(seconds * NANOS_PER_SECOND);
            if (!times.isEmpty() && at <= times.get(times.size() - 1)) {
                throw new BadProfileException(where + "times must increase from line to line");
            }
            if (times.size() == MAX_POINTS) {
                throw new BadProfileException(where + "more than " + MAX_POINTS + " points");
            }
            times.add(at);
            temps.add(celsius);
        }
        if (times.isEmpty()) {
            throw new BadProfileException(what + ": no TIME,°C point");
        }
        if (repeat && times.size() < 2) {
            throw new BadProfileException(what + ": a repeating profile needs two points or more");
        }
        long[] t = times.stream().mapToLong(Long::longValue).toArray();
        double[] c = temps.stream().mapToDouble(Double::doubleValue).toArray();
        TemperatureProfile p = new PiecewiseLinearTemperature(t, c);
        return repeat ? new PeriodicTemperature(p, t[0], t[t.length - 1] - t[0]) : p;
    }

    private static double unitSeconds(String unit) {
        if (unit == null) {
            return 1;
        }
        return switch (unit) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            default -> 1;
        };
    }
}
