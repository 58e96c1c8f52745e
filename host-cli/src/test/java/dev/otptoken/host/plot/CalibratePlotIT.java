package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes;
import dev.otptoken.host.cli.Processes.Sim;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code otptoken calibrate --plot FILE} without {@code --temperatures}, end to end: a
 * simulated token 50 ppm fast, a 5-second measurement, and the picture of it, SVG and PNG.
 */
class CalibratePlotIT {
    private static final int DURATION_SECONDS = 5;

    @TempDir
    Path dir;

    @Test
    void aShortRunDrawsItsOffsetFitAndResiduals() throws Exception {
        try (Sim sim = new Sim("--drift-ppm", "50")) {
            Path svg = dir.resolve("run.svg");
            String stderr = calibrate(sim.port, svg);
            assertThat(stderr).contains("otptoken: plot written to " + svg);
            Document d = PlotFiles.svg(svg);
            assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("900.0");
            assertThat(d.getDocumentElement().getAttribute("height")).isEqualTo("560.0");
            assertThat(d.getDocumentElement().getTextContent()).contains(
                    "otptoken calibrate: the token's clock during the measurement", "token − host (ms)",
                    "measured − fit (µs)", "seconds since the measurement began", "rate +");
            // a point per bin of the run (20 for a short one, fewer if a bin went without an
            // exchange), each with its residual; one of each in the legend
            int points = PlotFiles.filledShapes(d, BandChart.POINTS) - 1;
            assertThat(points).isBetween(8, 20);
            assertThat(PlotFiles.filledShapes(d, BandChart.RESIDUALS) - 1).isEqualTo(points);

            Path png = dir.resolve("run.PNG");
            calibrate(sim.port, png);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img).isNotNull();
            assertThat(img.getWidth()).isEqualTo(900);
            assertThat(img.getHeight()).isEqualTo(560);
            assertThat(PlotFiles.pixels(img, BandChart.RESIDUALS)).isPositive();

            // a plot that cannot be written: the report is printed, then one line and status 3
            Path nowhere = dir.resolve("missing").resolve("run.svg");
            Process p = start(sim.port, nowhere);
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8)).startsWith("offset: ");
            assertThat(Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8))
                    .endsWith("otptoken: cannot write " + nowhere + ": no such directory" + System.lineSeparator());
        }
    }

    private String calibrate(String port, Path plot) throws Exception {
        Process p = start(port, plot);
        String stderr = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8)).startsWith("offset: ");
        return stderr;
    }

    /** Runs {@code calibrate --plot} to its end: standard output in out.txt, standard error in err.txt. */
    private Process start(String port, Path plot) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(List.of(Processes.java(), "-cp", Processes.classPath(),
                "dev.otptoken.host.cli.HostMain", "--port", port, "calibrate", "--duration", DURATION_SECONDS + "s",
                "--plot", plot.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("calibrate timed out");
        }
        return p;
    }
}
