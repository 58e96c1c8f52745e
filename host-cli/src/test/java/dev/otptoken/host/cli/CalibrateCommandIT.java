package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.host.cli.Processes.Sim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * runs on a small machine make the round trips wander and cost accuracy.
 */
class CalibrateCommandIT {
    /** STM32 CALR: 2^-20. */
    private static final double STEP_PPM = 0.95367431640625;
    private static final int DURATION_SECONDS = 60;
    /** The rate error allowed after 60 s. */
    private static final double ACCURACY_PPM = 0.3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(doubles = {-137.5, 80.0})
    void sixtySecondsFindTheRateAndApplyTrimsItAway(double drift) throws Exception {
        try (Sim sim = new Sim("--drift-ppm", Double.toString(drift))) {
            Path samples = dir.resolve("samples.csv");
            String json = calibrate(sim.port, samples);
            // how the link's delays moved during the measurement: in the log, and in any failure
            String paths = paths(samples, drift);
            System.out.println(paths);
            json = json + "\n" + paths;
            double rate = number(json, "rate_ppm", 0);
            double rate95 = number(json, "rate_95_ppm", 0);
            int residualAt = json.indexOf("\"residual\":");
            assertThat(residualAt).as(json).isPositive();
            double trimAfter = number(json, "trim_after", 0);
            double residual = number(json, "rate_ppm", residualAt);
            double residual95 = number(json, "rate_95_ppm", residualAt);
            // in the build log, so that a run's accuracy can be read without a failure
            System.out.printf("calibrate at %+.1f ppm: %+.3f ± %.3f ppm (error %+.3f), trim %+.0f, residual %+.3f ± %.3f ppm%n",
                    drift, rate, rate95, rate - drift, trimAfter, residual, residual95);
            assertThat(rate).as(json).isCloseTo(drift, within(ACCURACY_PPM));
            assertThat(number(json, "trim", 0)).isZero();
            assertThat(trimAfter).isEqualTo((double) Math.round(-rate / STEP_PPM));
            // The trim inherits the first measurement's error: up to ACCURACY_PPM, which a loaded
            // machine can make larger than its stated interval.
            assertThat(Math.abs(residual)).as(json)
                    .isLessThanOrEqualTo(STEP_PPM / 2 + residual95 + Math.max(rate95, ACCURACY_PPM));
            // the clock was set to the host's time: well inside a millisecond plus the link's asymmetry
            assertThat(Math.abs(number(json, "offset_seconds", residualAt))).as(json).isLessThan(0.05);
            assertThat(json).contains("\"temperature_note\":\"valid at the temperature it was measured at");
        }
    }

    /** Runs the CLI for the full measurement and verification (longer than Processes.run waits). */
    private String calibrate(String port, Path samples) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-cp", Processes.classPath(),
                "dev.otptoken.host.cli.HostMain", "--port", port, "--json", "calibrate", "--duration",
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
        // piped: no progress bar
        assertThat(stderr).doesNotContain("measuring [");
        return Files.readString(out, StandardCharsets.UTF_8).trim();
    }

    /**
     * The measurement's round trips (5th percentile and median, µs) and the drift of its
     * fastest tenth's offset from the configured rate's line (µs, from the first stretch), per
     * 10-second stretch: what the estimator's accuracy rests on, to read in a build log.
     */
    static String paths(Path csv, double drift) throws java.io.IOException {
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.US_ASCII)) {
            if (line.startsWith("measure,")) {
                String[] f = line.split(",");
                rows.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
            }
        }
        assertThat(rows).as("measure rows in %s", csv).isNotEmpty();
        long t0 = rows.get(0)[0];
        StringBuilder rtts = new StringBuilder("calibrate at " + drift + " ppm, rtt p5/p50 µs per 10 s:");
        StringBuilder drifts = new StringBuilder("; fastest tenth off the true line, µs:");
        double first = Double.NaN;
        for (int stretch = 0; ; stretch++) {
            long from = t0 + stretch * 10_000_000_000L;
            long to = from + 10_000_000_000L;
            List<long[]> in = rows.stream().filter(r -> r[0] >= from && r[0] < to).toList();
            if (in.size() < 100) {
                break;
            }
            long[] rtt = in.stream().mapToLong(r -> r[1] - r[0]).sorted().toArray();
            long fast = rtt[rtt.length / 10];
            double off = in.stream().filter(r -> r[1] - r[0] <= fast).mapToDouble(r -> {
                long mid = r[0] + (r[1] - r[0]) / 2;
                return (r[2] * 1000 - mid) - drift * 1e-6 * (mid - t0);
            }).average().orElseThrow() / 1000;
            if (Double.isNaN(first)) {
                first = off;
            }
            rtts.append(String.format(java.util.Locale.ROOT, " %d/%d", rtt[rtt.length / 20] / 1000, rtt[rtt.length / 2] / 1000));
            drifts.append(String.format(java.util.Locale.ROOT, " %+.1f", off - first));
        }
        return rtts.append(drifts).toString();
    }

    /** The first number after {@code "key":} at or after {@code from}. */
    static double number(String json, String key, int from) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9.Ee+-]+)").matcher(json);
        assertThat(m.find(from)).as("%s in %s", key, json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
