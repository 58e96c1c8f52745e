package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.host.cli.Processes.Sim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * {@code otptoken calibrate --temperatures 10,25,40 --apply} end to end: a simulated token
 * whose crystal turns over at 27 °C with k = 0.038 ppm/°C² (not the datasheet's 25 and
 * 0.034) and whose sensor reads 0.5 °C high, its temperature moved through the simulator's
 * control socket. The fit must find the turnover on the sensor's scale (27.5 °C) within
 * ±1 °C and k within ±5 %, keep the three runs in a 0600 history file named by the serial,
 * write the curve, set the clock and verify the rate it leaves, as {@code calibrate --apply} does,
 * and draw the curve with the predicted year (--plot).
 */
class TemperatureCalibrateIT {
    static final double TURNOVER = 27;
    static final double K = 0.038;
    static final double SENSOR_OFFSET = 0.5;
    static final int DURATION_SECONDS = 90;
    /** Half a trim step of 2⁻²⁰, ppm. */
    static final double HALF_STEP_PPM = 0.477;
    /** What the last run's measurement is allowed to be off (CalibrateCommandIT's bound). */
    static final double FIRST_RUN_PPM = 0.3;

    @TempDir
    Path dir;

    @Test
    void threeTemperaturesRecoverTheCrystal() throws Exception {
        Path control = dir.resolve("control");
        Path history = dir.resolve("calibration");
        Path plot = dir.resolve("curve.svg");
        try (Sim sim = new Sim("--drift-ppm", "20", "--turnover", Double.toString(TURNOVER),
                "--temperature-coefficient", Double.toString(K), "--sensor-offset", Double.toString(SENSOR_OFFSET),
                "--control", control.toString())) {
            assertThat(control).exists();
            List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-cp", Processes.classPath(),
                    "dev.otptoken.host.cli.HostMain", "--port", sim.port, "--json", "calibrate", "--temperatures",
                    "10,25,40", "--sim-control", control.toString(), "--duration", DURATION_SECONDS + "s", "--apply",
                    "--plot", plot.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("OTPTOKEN_CALIBRATION_DIR", history.toString());
            Path out = dir.resolve("out.json");
            Path err = dir.resolve("err.txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(DURATION_SECONDS * 4L * 3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("calibrate timed out");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String json = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(stderr + json);
            assertThat(p.exitValue()).as(stderr).isZero();
            double turnover = number(json, "turnover_celsius");
            double k = number(json, "k_ppm_per_celsius2");
            assertThat(turnover).as(json).isCloseTo(TURNOVER + SENSOR_OFFSET, within(1.0));
            assertThat(k).as(json).isCloseTo(K, within(K * 0.05));
            assertThat(json).contains("\"applied\":{\"clock_set_to\":", "\"curve_written\":true", "\"aging_fitted\":false");
            assertThat(stderr).contains("otptoken: at 10.", "otptoken: at 25.", "otptoken: at 40.",
                    "then 3 s settling, 45 s verification", "otptoken: plot written to " + plot);
            // verified as a single-temperature --apply is: at 40 °C the curve's trim leaves what the curve
            // misses there, within half a trim step (its first trim is rounded) and the two runs' intervals
            double residual = number(json, "rate_ppm");
            double predicted = number(json, "predicted_residual_ppm");
            assertThat(Math.abs(residual - predicted)).as(json)
                    .isLessThanOrEqualTo(HALF_STEP_PPM + number(json, "rate_95_ppm") + FIRST_RUN_PPM);
            assertThat(Math.abs(number(json, "offset_seconds"))).as(json).isLessThan(0.005);
            // the curve with the three runs and their residuals, and the predicted year under it
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element svg = dbf.newDocumentBuilder().parse(plot.toFile()).getDocumentElement();
            assertThat(svg.getAttribute("width")).isEqualTo("900.0");
            assertThat(svg.getAttribute("height")).isEqualTo("1120.0");
            assertThat(svg.getTextContent()).contains("crystal rate over temperature", "measured − fit (ppm)",
                    "the year ahead, predicted from the curve", "assumed temperatures: a northern year",
                    "no aging term");
            try (Stream<Path> files = Files.list(history)) {
                List<Path> f = files.toList();
                assertThat(f).hasSize(1);
                assertThat(f.get(0).getFileName().toString()).matches("[0-9]+");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.get(0)))).isEqualTo("rw-------");
                List<String> lines = Files.readAllLines(f.get(0));
                assertThat(lines.get(0)).isEqualTo("otptoken-calibration 1");
                assertThat(lines.stream().filter(l -> l.startsWith("point ")).count()).isEqualTo(3);
            }
        }
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.Ee+-]+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
