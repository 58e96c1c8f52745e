package dev.otptoken.host.calibrate;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users type them: {@code 90}, {@code 90s}, {@code 2m}, {@code 1.5m}, {@code 1h}. */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)\\s*(ms|s|m|h)?");
    private static final long MILLIS_PER_SECOND = 1000;
    private static final long SECONDS_PER_MINUTE = 60;
    private static final long SECONDS_PER_HOUR = 3600;

    private DurationText() {
    }

    /** Parses {@code text}; plain numbers are seconds. */
    public static Duration parse(String text) throws InvalidDurationException {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidDurationException("not a duration: '" + text + "' (use e.g. 60, 60s, 2m, 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> value;
            case "m" -> value * SECONDS_PER_MINUTE * MILLIS_PER_SECOND;
            case "h" -> value * SECONDS_PER_HOUR * MILLIS_PER_SECOND;
            default -> value * MILLIS_PER_SECOND;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * {@code d} as a person reads it, to the nearest second: {@code 12 s}, {@code 1 min 12 s},
     * {@code 2 min}, {@code 1 h 30 min}; parts that are zero are left out ({@code 0 s} for nothing).
     */
    public static String format(Duration d) {
        long seconds = (d.toMillis() + MILLIS_PER_SECOND / 2) / MILLIS_PER_SECOND;
        long h = seconds / SECONDS_PER_HOUR;
        long min = seconds % SECONDS_PER_HOUR / SECONDS_PER_MINUTE;
        long s = seconds % SECONDS_PER_MINUTE;
        StringBuilder sb = new StringBuilder();
        if (h > 0) {
            sb.append(h).append(" h");
        }
        if (min > 0) {
            sb.append(sb.isEmpty() ? "" : " ").append(min).append(" min");
        }
        if (s > 0 || sb.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " ").append(s).append(" s");
        }
        return sb.toString();
    }

    /** The text was not a duration. */
    public static final class InvalidDurationException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidDurationException(String message) {
            super(message);
        }
    }
}
