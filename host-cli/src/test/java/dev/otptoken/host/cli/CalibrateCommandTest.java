package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.calibrate.Calibration;
import dev.otptoken.host.calibrate.Calibrator;
import dev.otptoken.host.calibrate.ClockDevice;
import dev.otptoken.host.calibrate.ClockSample;
import dev.otptoken.host.calibrate.DriftEstimate;
import dev.otptoken.host.calibrate.LinearFit;
import dev.otptoken.host.calibrate.SampleCsv;
import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.calibrate.TrimPlan;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.ScriptedTransport;
import dev.otptoken.host.session.Token;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The calibrate command's report and options; the measurement itself is CalibratorTest's and the IT's. */
class CalibrateCommandTest {
    private static final double STEP = 0.95367431640625;
    private static final long AT = Instant.parse("2030-01-01T00:01:00Z").getEpochSecond() * 1_000_000_000L;
    private static final DriftEstimate MEASURED = new DriftEstimate(0.412, 0.0003, 20.07, 0.04, AT, 5843, 12, 60.0, 85);
    private static final DriftEstimate RESIDUAL = new DriftEstimate(0.0002, 0.0004, 0.05, 0.15, AT + 21_000_000_000L,
            1900, 3, 20.0, 90);
    /** The measurement's points and line (the report does not print them; calibrate --plot draws them). */
    private static final DriftEstimate.Line LINE = line(new double[] {0, 20, 40, 60},
            new double[] {0.4108, 0.4112, 0.4116, 0.4120});

    private static DriftEstimate.Line line(double[] seconds, double[] offsets) {
        LinearFit fit = LinearFit.of(seconds, offsets);
        return new DriftEstimate.Line(seconds, offsets, fit.at(0), fit.slope(), fit);
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), environment, false, Token.Opener.system());
        return HostMain.run(args, env);
    }

    @Test
    void humanReportHasEveryFigureTheIssueAsksFor() {
        Calibration c = new Calibration(MEASURED, LINE, 0, STEP, -511, 512, Optional.empty());
        assertThat(CalibrateCommand.lines(c)).containsExactly(
                "offset: +0.4120 s ± 0.0003 s",
                "rate: +20.07 ppm ± 0.04 ppm (+1.734 s/day, +633.4 s/year)",
                "trim: 0 steps of 0.9537 ppm (+0.000 ppm); crystal alone: +20.07 ppm",
                "window: leaves ±1 step (30 s) in 17 days",
                "samples: 5843 of 5855 exchanges used (the fastest tenth of each second), over 60.0 s (residual σ 85 µs)",
                "note: " + CalibrateCommand.TEMPERATURE_NOTE);
    }

    @Test
    void appliedReportShowsTheWritesAndTheResidual() {
        TrimPlan plan = TrimPlan.of(20.07, 0, STEP, -511, 512);
        Instant set = Instant.parse("2030-01-01T00:01:00.001500Z");
        Calibration c = new Calibration(MEASURED, LINE, 0, STEP, -511, 512,
                Optional.of(new Calibration.Applied(plan, set, RESIDUAL)));
        List<String> lines = CalibrateCommand.lines(c);
        assertThat(lines).contains(
                "applied: clock set to 2030-01-01T00:01:00.001500Z; trim 0 -> -21 (-20.027 ppm)",
                "residual: offset +0.0002 s ± 0.0004 s, rate +0.05 ppm ± 0.15 ppm (expected +0.04 ppm;"
                        + " trim resolution ±0.48 ppm)");
        assertThat(lines.get(lines.size() - 1)).startsWith("note: valid at the temperature it was measured at");
    }

    @Test
    void jsonHoldsAllNumbers() {
        TrimPlan plan = TrimPlan.of(20.07, 0, STEP, -511, 512);
        Calibration c = new Calibration(MEASURED, LINE, 0, STEP, -511, 512,
                Optional.of(new Calibration.Applied(plan, Instant.parse("2030-01-01T00:01:00Z"), RESIDUAL)));
        String j = Json.write(CalibrateCommand.json(c));
        // rounded to what they mean (µs, ppb, 0.1 ms/day, 0.1 day), written without an exponent
        assertThat(j).startsWith("{\"at\":\"2030-01-01T00:01:00Z\",\"offset_seconds\":0.412,\"offset_95_seconds\":0.0003,"
                + "\"rate_ppm\":20.07,\"rate_95_ppm\":0.04,")
                .contains("\"seconds_per_day\":1.734,", "\"days_until_outside_window\":17.1,",
                        "\"samples_used\":5843", "\"trim\":0", "\"trim_step_ppm\":0.953674,",
                        "\"untrimmed_ppm\":20.07", "\"temperature_note\":\"valid at the temperature",
                        "\"applied\":{\"clock_set_to\":\"2030-01-01T00:01:00Z\",\"trim_before\":0,\"trim_after\":-21,"
                                + "\"trim_clamped\":false,\"predicted_residual_ppm\":0.043,",
                        "\"residual\":{\"at\":\"2030-01-01T00:01:21Z\",\"offset_seconds\":0.0002,")
                .doesNotContain("E-", "E+");
        Calibration plain = new Calibration(MEASURED, LINE, 0, STEP, -511, 512, Optional.empty());
        assertThat(Json.write(CalibrateCommand.json(plain))).endsWith("\"applied\":null}");
    }

    @Test
    void aRateOfZeroNeverLeavesTheWindowAndABigOffsetAlreadyHas() {
        DriftEstimate still = new DriftEstimate(0.1, 0.001, 0.0, 0.1, AT, 100, 0, 60, 50);
        assertThat(CalibrateCommand.lines(new Calibration(still, LINE, 0, STEP, -511, 512, Optional.empty())))
                .contains("window: leaves ±1 step (30 s) never at this rate");
        DriftEstimate far = new DriftEstimate(-45.2, 0.001, 3.0, 0.1, AT, 100, 0, 60, 50);
        assertThat(CalibrateCommand.lines(new Calibration(far, LINE, 0, STEP, -511, 512, Optional.empty())))
                .contains("window: already outside ±1 step (30 s): offset -45.2 s");
    }

    @Test
    void progressBarFillsWithTime() {
        assertThat(CalibrateCommand.ProgressBar.render("measuring", 30_000_000_000L, 60_000_000_000L, 1234))
                .isEqualTo("measuring [###############               ]  50%  30/60 s  1234 readings");
        assertThat(CalibrateCommand.ProgressBar.render("verifying", 20_000_000_000L, 20_000_000_000L, 9))
                .startsWith("verifying [##############################] 100%");
    }

    @Test
    void progressBarRedrawsOnOneLineAndEndsIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CalibrateCommand.ProgressBar bar = new CalibrateCommand.ProgressBar(new PrintStream(bytes, true,
                StandardCharsets.UTF_8));
        bar.update("measuring", 0, 10, 1);
        bar.update("measuring", 10, 10, 2);
        bar.done();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertThat(s).startsWith("\r").endsWith(System.lineSeparator()).contains("\rmeasuring [###");
        assertThat(s.chars().filter(ch -> ch == '\n').count()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"calibrate --duration soon", "calibrate --duration 2s", "calibrate --duration 25h",
        "calibrate extra"})
    void badDurationsAreUsageErrors(String line) {
        assertThat(run(Map.of(HostMain.PORT_VARIABLE, "/nonexistent/tty"), line.split(" ")))
                .as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitStatus.USAGE);
    }

    @Test
    void theRunIsAnnouncedWithItsLengthAndPartsBeforeItStarts() {
        ScriptedTransport token = new ScriptedTransport()
                .expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00")
                // the first GET CLOCK is refused: the command stops before measuring anything
                .expect("80 10 00 00 00", "6D 00");
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), Map.of(HostMain.PORT_VARIABLE, "/dev/fake"), false, port -> token);
        assertThat(HostMain.run(new String[] {"calibrate", "--duration", "60s"}, env))
                .isEqualTo(ExitStatus.TOKEN_REFUSED);
        token.assertDone();
        assertThat(err.toString(StandardCharsets.UTF_8).lines().findFirst()).contains(
                "otptoken: calibrating for about 1 min 12 s: 12 s warm-up, 1 min measurement");
    }

    @Test
    void theAnnouncementOfAnApplyNamesSettlingAndVerification() {
        assertThat(CalibrateCommand.announcement(Calibrator.Schedule.of(Duration.ofSeconds(60), true))).isEqualTo(
                "otptoken: calibrating for about 1 min 45 s: 12 s warm-up, 1 min measurement, 3 s settling,"
                        + " 30 s verification");
        assertThat(CalibrateCommand.announcement(Calibrator.Schedule.of(Duration.ofMinutes(10), true))).isEqualTo(
                "otptoken: calibrating for about 15 min 15 s: 12 s warm-up, 10 min measurement, 3 s settling,"
                        + " 5 min verification");
    }

    @Test
    void theTemperatureAnnouncementCountsTheSettlingAndVerificationOfAnApply() {
        assertThat(CalibrateCommand.temperatureAnnouncement(3, Calibrator.Schedule.of(Duration.ofSeconds(90), true)))
                .isEqualTo("otptoken: calibrating at 3 temperatures, about 1 min 42 s at each once the token is there"
                        + " (12 s warm-up, 1 min 30 s measurement), then 3 s settling, 45 s verification");
        assertThat(CalibrateCommand.temperatureAnnouncement(2, Calibrator.Schedule.of(Duration.ofSeconds(60), false)))
                .isEqualTo("otptoken: calibrating at 2 temperatures, about 1 min 12 s at each once the token is there"
                        + " (12 s warm-up, 1 min measurement)");
    }

    @Test
    void anAppliedCurveIsVerifiedAndReportedAsATrimIs() {
        List<TemperatureFit.Point> runs = List.of(new TemperatureFit.Point(1_000, 10.25, 11.6, 0.13),
                new TemperatureFit.Point(2_000, 25.25, 19.9, 0.13), new TemperatureFit.Point(3_000, 40.25, 12.3, 0.13));
        TemperatureFit fit = TemperatureFit.fit(runs);
        Instant set = Instant.parse("2030-01-01T00:01:00.001500Z");
        double predicted = 12.3 - fit.ratePpm(40.25, 3_000);
        TemperatureCalibration.Result r = new TemperatureCalibration.Result(12345678, Path.of("/tmp/history"), 3, runs,
                fit, Optional.of(new TemperatureCalibration.Applied(new Calibrator.Verification(set, RESIDUAL),
                predicted, STEP)), false);
        List<String> lines = TemperatureCalibration.lines(r);
        assertThat(lines).contains("applied: curve written (the token sets its trim every 64 s from its sensor);"
                + " clock set to 2030-01-01T00:01:00.001500Z");
        assertThat(lines).containsSubsequence(CalibrateCommand.verificationLines(RESIDUAL, predicted, STEP));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("residual: offset +0.0002 s ± 0.0004 s, rate +0.05 ppm"
                + " ± 0.15 ppm (expected ").endsWith("; trim resolution ±0.48 ppm)"));
        assertThat(Json.write(TemperatureCalibration.json(r))).contains(
                "\"applied\":{\"clock_set_to\":\"2030-01-01T00:01:00.001500Z\",\"curve_written\":true,"
                        + "\"predicted_residual_ppm\":",
                "\"residual\":{\"at\":\"2030-01-01T00:01:21Z\",\"offset_seconds\":0.0002,");
        TemperatureCalibration.Result not = new TemperatureCalibration.Result(12345678, Path.of("/tmp/history"), 3,
                runs, fit, Optional.empty(), false);
        assertThat(Json.write(TemperatureCalibration.json(not))).contains("\"applied\":null");
        assertThat(TemperatureCalibration.lines(not)).contains("not applied (use --apply to write the curve)")
                .noneMatch(l -> l.startsWith("residual:"));
    }

    @Test
    void theAnnouncedTotalIsTheSumOfWhatTheRunDoes() {
        Calibrator.Schedule plain = Calibrator.Schedule.of(Duration.ofSeconds(60), false);
        assertThat(plain.total()).isEqualTo(Calibrator.WARM_UP.plusSeconds(60));
        Calibrator.Schedule applied = Calibrator.Schedule.of(Duration.ofSeconds(60), true);
        assertThat(applied.total()).isEqualTo(Calibrator.WARM_UP.plusSeconds(60).plus(Calibrator.SETTLE)
                .plus(Calibrator.verifyDurationFor(Duration.ofSeconds(60))));
    }

    @Test
    void theHelpSaysHowLargeTheSamplesFileGrows() {
        assertThat(run(Map.of(), "calibrate", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " "))
                .contains("about 65 bytes each, 0.3 to 1 MB per second of the run over a pseudo-terminal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"calibrate --plot offset.jpg", "calibrate --plot offset",
        "calibrate --temperatures 10,25,40 --plot curve.pdf"})
    void aPlotFileOfAnotherKindIsRefusedBeforeTheToken(String line) {
        // exit 2, not 4: no token is looked for
        assertThat(run(Map.of(), line.split(" "))).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("otptoken: --plot: the file must end in .svg or .png");
    }

    @Test
    void simControlStillGoesWithTemperaturesButThePlotNoLonger() {
        assertThat(run(Map.of(), "calibrate", "--sim-control", "/tmp/x", "--plot", "x.svg")).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("otptoken: --sim-control goes with --temperatures");
        err.reset();
        // without a token the plot gets as far as the token: status 4
        assertThat(run(Map.of(), "calibrate", "--duration", "10s", "--plot", "x.svg")).isEqualTo(ExitStatus.NO_TOKEN);
    }

    @Test
    void withoutATokenItIsStatus4() {
        assertThat(run(Map.of(), "calibrate", "--duration", "10s")).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("otptoken: no token");
    }

    @Test
    void anUnwritableSamplesFileIsRefusedBeforeMeasuring(@TempDir Path dir) {
        Path file = dir.resolve("missing-dir").resolve("samples.csv");
        // refused as bad input (3), not as the missing token (4): the file is checked first
        assertThat(run(Map.of(), "calibrate", "--samples", file.toString())).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("otptoken: cannot write " + file + ": no such directory");
    }

    @Test
    void theSamplesFileHasAHeaderAndOneLinePerExchange(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("samples.csv");
        try (SampleCsv csv = SampleCsv.create(file)) {
            csv.phase("measure", List.of(new ClockSample(1_000, 2_500, 7), new ClockSample(3_000, 3_900, 9)));
            csv.phase("verify", List.of(new ClockSample(5_000, 5_100, 11)));
        }
        assertThat(Files.readAllLines(file)).containsExactly(SampleCsv.HEADER, "measure,1000,2500,7",
                "measure,3000,3900,9", "verify,5000,5100,11");
    }

    /**
     * A GET CLOCK that failed on the line (which then needs S(RESYNCH), a warm reset of the
     * token) is followed by SELECT of the device applet before the next exchange, not by a
     * GET CLOCK the token would refuse with 6A82; and only once.
     */
    @Test
    void afterAFailedExchangeTheDeviceAppletIsSelectedAgain() throws Exception {
        String select = "00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01";
        String getClock = "80 10 00 00 00";
        String clock = "10 08 00060A2418202240 11 02 FFFB 12 04 000E8D4A 13 04 FC00 03FF 14 08 0000000000000000 90 00";
        ScriptedTransport token = new ScriptedTransport();
        token.expect(getClock, ScriptedTransport.DEAD_LINE)
                .expect(select, "90 00").expect(getClock, clock)
                .expect(getClock, clock)
                .expect("80 12 00 00 04 11 02 0003", "90 00");
        ClockDevice device = CalibrateCommand.adapt(new DeviceSession(token));
        assertThatThrownBy(device::clock).isInstanceOf(IOException.class);
        assertThat(device.clock().trim()).isEqualTo(-5);
        assertThat(device.clock().trim()).isEqualTo(-5);
        device.setTrim(3);
        token.assertDone();
    }
}
