package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.host.calibrate.Calibration;
import dev.otptoken.host.calibrate.ClockSample;
import dev.otptoken.host.calibrate.DriftEstimate;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code calibrate --plot} without temperatures: the measurement's points, the line and its
 * band, and underneath each point minus the line, in the data drawn and in the files.
 */
class CalibrationPlotTest {
    static final long T0 = 1_800_000_000_000_000_000L;
    static final double RATE_PPM = 42.3;
    static final double OFFSET = 0.25;

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A 60-second run at 50 exchanges a second: round trips of 100–300 µs, the token reading at their middle ± 20 µs. */
    static Calibration calibration() {
        Random random = new Random(7);
        List<ClockSample> samples = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long sent = T0 + i * 20_000_000L;
            long rtt = 100_000 + random.nextInt(200_000);
            long mid = sent + rtt / 2 + (long) (random.nextGaussian() * 20_000);
            double token = (mid - T0) * (1 + RATE_PPM * 1e-6) + OFFSET * 1e9;
            samples.add(new ClockSample(sent, sent + rtt, (T0 + (long) token) / 1000));
        }
        DriftEstimate.Fitted f = DriftEstimate.fitted(samples);
        return new Calibration(f.estimate(), f.line(), 0, 0.95367431640625, -511, 512, Optional.empty());
    }

    static JFreeChart chart(Calibration c) {
        return CalibrationPlot.chart(c, "otptoken calibrate: the token's clock during the measurement");
    }

    @Test
    void theResidualPanelHoldsEveryPointMinusTheLine() {
        Calibration c = calibration();
        DriftEstimate.Line line = c.line();
        List<?> panels = ((CombinedDomainXYPlot) chart(c).getPlot()).getSubplots();
        assertThat(panels).hasSize(2);
        XYDataset measured = ((XYPlot) panels.get(0)).getDataset(1);
        XYDataset residuals = ((XYPlot) panels.get(1)).getDataset();
        assertThat(line.seconds()).hasSizeGreaterThanOrEqualTo(50);
        assertThat(measured.getItemCount(0)).isEqualTo(line.seconds().length);
        assertThat(residuals.getItemCount(0)).isEqualTo(line.seconds().length);
        for (int i = 0; i < line.seconds().length; i++) {
            double x = residuals.getXValue(0, i);
            assertThat(x).isEqualTo(measured.getXValue(0, i));
            double fitMs = (line.intercept() + line.slope() * x) * 1e3;
            // µs below, ms above
            assertThat(residuals.getYValue(0, i)).isCloseTo((measured.getYValue(0, i) - fitMs) * 1e3, within(1e-6));
        }
        assertThat(line.slope() * 1e6).isCloseTo(RATE_PPM, within(0.5));
    }

    @Test
    void svgParsesBackWithItsSizePanelsAndResidualPoints() throws Exception {
        Calibration c = calibration();
        Path f = dir.resolve("calibrate.svg");
        PlotFile.write(chart(c), f);
        Document d = PlotFiles.svg(f);
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("900.0");
        assertThat(d.getDocumentElement().getAttribute("height")).isEqualTo("560.0");
        assertThat(d.getDocumentElement().getTextContent()).contains(
                "otptoken calibrate: the token's clock during the measurement", "seconds since the measurement began",
                "token − host (ms)", "measured − fit (µs)", "fit ± 95 %", "rate +42.");
        // one marker per point in each panel, and one in the legend
        int points = c.line().seconds().length;
        assertThat(PlotFiles.filledShapes(d, BandChart.POINTS)).isEqualTo(points + 1);
        assertThat(PlotFiles.filledShapes(d, BandChart.RESIDUALS)).isEqualTo(points + 1);
    }

    @Test
    void pngIsAnImageOfTheSizeWithTheResiduals() throws Exception {
        BufferedImage img = PlotFiles.png(List.of(chart(calibration())), dir.resolve("calibrate.png"));
        assertThat(PlotFiles.pixels(img, BandChart.LINE)).as("the line").isGreaterThan(300);
        assertThat(PlotFiles.pixels(img, BandChart.RESIDUALS)).as("the residuals").isGreaterThan(100);
    }
}
