package dev.otptoken.host.calibrate;

import dev.otptoken.host.files.HostFileException;
import dev.otptoken.host.files.PrivateFile;
import dev.otptoken.xdg.NoHomeDirectoryException;
import dev.otptoken.xdg.XdgBaseDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every temperature calibration of one token, kept on the host so that calibrations weeks
 * apart give the aging term (docs/calibration.md, "The calibration history"). One file per
 * serial number, {@code $OTPTOKEN_CALIBRATION_DIR/SERIAL} or
 * {@code $XDG_STATE_HOME/otptoken/calibration/SERIAL}, written 0600 through
 * {@link PrivateFile}. It holds no secret, only rates; it is private because it is a
 * device's history. Text:
 * <pre>
 * otptoken-calibration 1
 * serial 12345678
 * point TOKEN-MICROS CELSIUS RATE-PPM RATE95-PPM
 * </pre>
 * A foreign or damaged file is refused, never reset.
 */
public final class CalibrationHistory {
    static final String MAGIC = "otptoken-calibration 1";
    /** The environment variable naming the directory of the files. */
    public static final String DIR_VARIABLE = "OTPTOKEN_CALIBRATION_DIR";
    /** Most points kept (the oldest go first). */
    static final int MAX_POINTS = 1000;
    private static final long MAX_BYTES = 256 * 1024;

    private final long serial;
    private final List<TemperatureFit.Point> points;

    public CalibrationHistory(long serial, List<TemperatureFit.Point> points) {
        this.serial = serial;
        this.points = List.copyOf(points);
    }

    /** A history file that cannot be used: the message names the file and the problem. */
    public static final class BadHistoryException extends Exception {
        private static final long serialVersionUID = 1L;

        BadHistoryException(String message) {
            super(message);
        }
    }

    /** Where the history of {@code serial} is kept. */
    public static Path file(Map<String, String> env, long serial) throws NoHomeDirectoryException {
        String dir = env.get(DIR_VARIABLE);
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : XdgBaseDirectory.STATE.in(env).resolve("otptoken").resolve("calibration");
        return base.resolve(Long.toString(serial));
    }

    /** The history in {@code file}; empty when there is none yet. */
    public static CalibrationHistory load(Path file, long serial) throws IOException, BadHistoryException {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new BadHistoryException("calibration history " + file + " is larger than 256 KiB");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new CalibrationHistory(serial, List.of());
        } catch (IOException e) {
            throw HostFileException.reading(file, e);
        }
        if (lines.size() < 2 || !lines.get(0).equals(MAGIC)) {
            throw new BadHistoryException("calibration history " + file + " is not an otptoken calibration history");
        }
        if (!lines.get(1).equals("serial " + serial)) {
            throw new BadHistoryException("calibration history " + file + " is of another token (" + lines.get(1) + ")");
        }
        List<TemperatureFit.Point> points = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ", -1);
            try {
                if (f.length != 5 || !f[0].equals("point")) {
                    throw new IllegalArgumentException("not a point");
                }
                points.add(new TemperatureFit.Point(Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            } catch (IllegalArgumentException e) {
                throw new BadHistoryException("calibration history " + file + " line " + (i + 1) + " is damaged");
            }
        }
        return new CalibrationHistory(serial, points);
    }

    /** This history with {@code more} points after its own. */
    public CalibrationHistory with(List<TemperatureFit.Point> more) {
        List<TemperatureFit.Point> all = new ArrayList<>(points);
        all.addAll(more);
        return new CalibrationHistory(serial, all.subList(Math.max(0, all.size() - MAX_POINTS), all.size()));
    }

    /** Writes the history to {@code file} (0600, replaced atomically). */
    public void save(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n').append("serial ").append(serial).append('\n');
        for (TemperatureFit.Point p : points) {
            sb.append(String.format(Locale.ROOT, "point %d %s %s %s%n", p.tokenMicros(), p.celsius(), p.ratePpm(),
                    p.rate95Ppm()));
        }
        PrivateFile.replace(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    public long serial() {
        return serial;
    }

    public List<TemperatureFit.Point> points() {
        return points;
    }
}
