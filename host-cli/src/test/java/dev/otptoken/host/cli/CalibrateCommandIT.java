package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.host.cli.Processes.Sim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code otptoken calibrate --apply} end to end: a simulated token at time scale 1 with a
 * configured crystal error, on its own pseudo-terminal, and the host CLI as a child process.
 * A 60-second measurement must find the configured rate within ±0.3 ppm, and after --apply
 * the residual must be at most half a trim step plus the stated uncertainties (those of the
 * verification, and the first measurement's error inherited by the trim). Runs one drift at a
 * time: parallel
 * runs on a small machine make the round trips wander and cost accuracy. Those checks depend on
 * the machine, so each failure says whether the machine let the run measure: "the machine was
 * too busy to measure" when even the fastest round trips were disturbed, "the machine was
 * quiet" (and the miss is the program's) when they were not ({@link #verdict}).
 */
class CalibrateCommandIT {
    /** STM32 CALR: 2^-20. */
    private static final double STEP_PPM = 0.95367431640625;
    private static final int DURATION_SECONDS = 60;
    /** The rate error allowed after 60 s. */
    private static final double ACCURACY_PPM = 0.3;
    private static final long STRETCH_NANOS = 10_000_000_000L;
    /** Fewer exchanges than this in 10 s (a quiet machine makes some 50,000): the machine stalled. */
    private static final int MIN_STRETCH_EXCHANGES = 100;
    /**
     * How far a quiet machine's fastest exchanges move off the true line over a run, µs: the
     * floor of the stated interval, what the recordings in docs/calibration.md allow for it.
     */
    static final double QUIET_WANDER_MICROS = 8;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(doubles = {-137.5, 80.0})
    void sixtySecondsFindTheRateAndApplyTrimsItAway(double drift) throws Exception {
        try (Sim sim = new Sim("--drift-ppm", Double.toString(drift))) {
            Path samples = dir.resolve("samples.csv");
            String json = calibrate(sim.port, samples);
            int residualAt = json.indexOf("\"residual\":");
            assertThat(residualAt).as(json).isPositive();
            double trimAfter = number(json, "trim_after", 0);
            // how the link's delays moved during the measurement and the verification, and
            // whether that let them measure: in the log, and in any failure
            Stretches measured = stretches(samples, "measure", "calibrate at " + drift + " ppm", drift);
            double trimmed = drift + trimAfter * STEP_PPM;
            Stretches verified = stretches(samples, "verify", String.format(Locale.ROOT,
                    "verification at %+.3f ppm", trimmed), trimmed);
            for (Stretches st : List.of(measured, verified)) {
                System.out.println(st.line());
                System.out.println("  " + st.verdict());
            }
            json = json + "\n" + measured.line() + "\n" + verified.line();
            double rate = number(json, "rate_ppm", 0);
            double rate95 = number(json, "rate_95_ppm", 0);
            double residual = number(json, "rate_ppm", residualAt);
            double residual95 = number(json, "rate_95_ppm", residualAt);
            // in the build log, so that a run's accuracy can be read without a failure
            System.out.printf("calibrate at %+.1f ppm: %+.3f ± %.3f ppm (error %+.3f), trim %+.0f, residual %+.3f ± %.3f ppm%n",
                    drift, rate, rate95, rate - drift, trimAfter, residual, residual95);
            assertThat(rate).as("%s%n%s", measured.verdict(), json).isCloseTo(drift, within(ACCURACY_PPM));
            assertThat(number(json, "trim", 0)).isZero();
            assertThat(trimAfter).isEqualTo((double) Math.round(-rate / STEP_PPM));
            // The trim inherits the first measurement's error: up to ACCURACY_PPM, which a loaded
            // machine can make larger than its stated interval.
            assertThat(Math.abs(residual)).as("measurement: %s%nverification: %s%n%s", measured.verdict(),
                    verified.verdict(), json)
                    .isLessThanOrEqualTo(STEP_PPM / 2 + residual95 + Math.max(rate95, ACCURACY_PPM));
            // the clock was set to the host's time: well inside a millisecond plus the link's asymmetry
            assertThat(Math.abs(number(json, "offset_seconds", residualAt))).as(json).isLessThan(0.05);
            assertThat(json).contains("\"temperature_note\":\"valid at the temperature it was measured at");
        }
    }

    /**
     * Runs {@code bin/otptoken calibrate} for the full measurement and verification (longer than
     * Processes.run waits); it must say how long it takes, in all and by phase, before it starts.
     */
    private String calibrate(String port, Path samples) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Launchers.host().toString(),
                "--port", port, "--json", "calibrate", "--duration",
                DURATION_SECONDS + "s", "--apply", "--samples", samples.toString()));
        Path out = dir.resolve("out.json");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(DURATION_SECONDS * 3L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("calibrate timed out");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stderr.lines().filter(l -> !l.startsWith("building "))).as(stderr)
                .first().isEqualTo("otptoken: calibrating for about 1 min 45 s: 12 s warm-up, 1 min measurement,"
                        + " 3 s settling, 30 s verification");
        // piped: no progress bar
        assertThat(stderr).doesNotContain("measuring [");
        return Files.readString(out, StandardCharsets.UTF_8).trim();
    }

    /**
     * One phase of the samples file cut into 10-second stretches: per stretch the round trips
     * (5th percentile and median, µs) and how far the fastest tenth's offset moved off the true
     * line (µs, from the first stretch), which is what the estimator's accuracy rests on; and
     * from those figures the verdict on the machine (see {@link #verdict}).
     *
     * @param line    the figures, for the build log and any failure
     * @param verdict "the machine was too busy to measure: ..." or "the machine was quiet: ..."
     */
    record Stretches(String line, String verdict) {
    }

    /**
     * The {@code phase} rows of {@code csv} ("measure", "verify") against a token whose clock
     * truly runs {@code truePpm} off the host's.
     */
    static Stretches stretches(Path csv, String phase, String label, double truePpm) throws java.io.IOException {
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.US_ASCII)) {
            if (line.startsWith(phase + ",")) {
                String[] f = line.split(",");
                rows.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
            }
        }
        assertThat(rows).as("%s rows in %s", phase, csv).isNotEmpty();
        long t0 = rows.get(0)[0];
        // the phase's span in whole stretches: a 60-s phase ends a little short of 60 s
        int count = (int) Math.round((rows.get(rows.size() - 1)[0] - t0) / (double) STRETCH_NANOS);
        StringBuilder rtts = new StringBuilder(label + ", rtt p5/p50 µs per 10 s:");
        StringBuilder drifts = new StringBuilder("; fastest tenth off the true line, µs:");
        List<double[]> offs = new ArrayList<>();
        int starved = 0;
        double first = Double.NaN;
        for (int stretch = 0; stretch < count; stretch++) {
            long from = t0 + stretch * STRETCH_NANOS;
            long to = from + STRETCH_NANOS;
            List<long[]> in = rows.stream().filter(r -> r[0] >= from && r[0] < to).toList();
            if (in.size() < MIN_STRETCH_EXCHANGES) {
                starved++;
                rtts.append(" -");
                drifts.append(" -");
                continue;
            }
            long[] rtt = in.stream().mapToLong(r -> r[1] - r[0]).sorted().toArray();
            long fast = rtt[rtt.length / 10];
            double off = in.stream().filter(r -> r[1] - r[0] <= fast).mapToDouble(r -> {
                long mid = r[0] + (r[1] - r[0]) / 2;
                return (r[2] * 1000 - mid) - truePpm * 1e-6 * (mid - t0);
            }).average().orElseThrow() / 1000;
            if (Double.isNaN(first)) {
                first = off;
            }
            offs.add(new double[] {(stretch + 0.5) * STRETCH_NANOS / 1e9, off - first});
            rtts.append(String.format(Locale.ROOT, " %d/%d", rtt[rtt.length / 20] / 1000, rtt[rtt.length / 2] / 1000));
            drifts.append(String.format(Locale.ROOT, " %+.1f", off - first));
        }
        return new Stretches(rtts.append(drifts).toString(), verdict(offs, starved, count));
    }

    /**
     * Whether the machine let the run measure: the fastest exchanges of a quiet machine keep
     * their offset on the true line within {@link #QUIET_WANDER_MICROS} (docs/calibration.md);
     * if they moved further, or a stretch went by with hardly an exchange, even the fastest
     * round trips were disturbed and no estimator could do better than they allow. Otherwise
     * the machine was quiet and a miss is the program's.
     *
     * @param offs    per stretch with exchanges: its middle (s from the start) and its fastest
     *                tenth's offset off the true line (µs, from the first stretch)
     * @param starved stretches with fewer than {@link #MIN_STRETCH_EXCHANGES} exchanges
     */
    static String verdict(List<double[]> offs, int starved, int count) {
        String starvedText = String.format(Locale.ROOT, "%d of the %d 10-s stretches had fewer than %d exchanges"
                + " (a quiet machine makes some 5,000 a second)", starved, count, MIN_STRETCH_EXCHANGES);
        if (offs.size() < 2) {
            return starved > 0 ? "the machine was too busy to measure: " + starvedText
                    : "cannot tell whether the machine was busy: the run is shorter than two 10-s stretches";
        }
        double low = offs.stream().mapToDouble(o -> o[1]).min().orElseThrow();
        double high = offs.stream().mapToDouble(o -> o[1]).max().orElseThrow();
        double moved = high - low;
        String movedText = String.format(Locale.ROOT, "the fastest tenth of the round trips %s %.1f µs %s the true"
                + " line (a quiet machine's stay within %.0f µs), by itself a rate error of %+.3f ppm",
                moved > QUIET_WANDER_MICROS ? "moved" : "stayed within", moved,
                moved > QUIET_WANDER_MICROS ? "off" : "of", QUIET_WANDER_MICROS, slopePpm(offs));
        if (starved > 0) {
            return "the machine was too busy to measure: " + starvedText + "; " + movedText;
        }
        if (moved > QUIET_WANDER_MICROS) {
            return "the machine was too busy to measure: " + movedText;
        }
        return "the machine was quiet: " + movedText + "; a miss is the program's, not the machine's";
    }

    /** Least-squares slope of the offsets (µs) against time (s): µs per s, i.e. ppm. */
    static double slopePpm(List<double[]> offs) {
        double mt = offs.stream().mapToDouble(o -> o[0]).average().orElseThrow();
        double mo = offs.stream().mapToDouble(o -> o[1]).average().orElseThrow();
        double sto = offs.stream().mapToDouble(o -> (o[0] - mt) * (o[1] - mo)).sum();
        double stt = offs.stream().mapToDouble(o -> (o[0] - mt) * (o[0] - mt)).sum();
        return sto / stt;
    }

    /** The first number after {@code "key":} at or after {@code from}. */
    static double number(String json, String key, int from) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9.Ee+-]+)").matcher(json);
        assertThat(m.find(from)).as("%s in %s", key, json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
