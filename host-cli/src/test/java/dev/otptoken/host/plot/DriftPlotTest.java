package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.drift.StepDriftModel;
import dev.otptoken.host.drift.StepObservation;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code drift show --plot}: the files parse back with their size, texts and the drawn series. */
class DriftPlotTest {
    static final long START = 1_800_000_000_000L;
    static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A token 60 ppm fast, seen every 5 days for 60 days: 0.3 steps a day... as step offsets. */
    static List<StepObservation> observations() {
        List<StepObservation> obs = new ArrayList<>();
        for (int d = 0; d <= 60; d += 5) {
            long at = START + d * DAY;
            double offset = 60e-6 * d * 86_400;
            obs.add(new StepObservation(at, Math.floorDiv(at + Math.round(offset * 1000), 30_000L)
                    - Math.floorDiv(at, 30_000L), 30));
        }
        return obs;
    }

    @Test
    void pngAndSvgOfTheDrift() throws Exception {
        List<StepObservation> obs = observations();
        StepDriftModel model = StepDriftModel.estimate(obs);
        Path svg = dir.resolve("drift.svg");
        BufferedImage img = PlotFiles.png(List.of(DriftPlot.chart(model, obs, "drift of Example:alice")),
                dir.resolve("drift.png"));
        assertThat(PlotFiles.pixels(img, BandChart.LINE)).isGreaterThan(500);
        assertThat(PlotFiles.pixels(img, BandChart.POINTS)).isGreaterThan(50);
        assertThat(PlotFiles.pixels(img, BandChart.RESIDUALS)).isGreaterThan(50);
        PlotFile.write(DriftPlot.chart(model, obs, "drift of Example:alice"), svg);
        Document d = PlotFiles.svg(svg);
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("900.0");
        assertThat(d.getDocumentElement().getAttribute("height")).isEqualTo("560.0");
        assertThat(d.getDocumentElement().getTextContent()).contains("drift of Example:alice",
                "days since the first observation", "observations (each bounds the offset to a period)",
                "token offset (s)", "observed − fit (s)", "measured − fit");
        assertThat(PlotFiles.filledShapes(d, BandChart.POINTS)).isEqualTo(obs.size() + 1);
        assertThat(PlotFiles.filledShapes(d, BandChart.RESIDUALS)).isEqualTo(obs.size() + 1);
    }

    @Test
    void theResidualsAreEachObservationMinusTheEstimateAtItsTime() {
        List<StepObservation> obs = observations();
        StepDriftModel model = StepDriftModel.estimate(obs);
        List<?> panels = ((CombinedDomainXYPlot) DriftPlot.chart(model, obs, "d").getPlot()).getSubplots();
        assertThat(panels).hasSize(2);
        YIntervalSeriesCollection residuals = (YIntervalSeriesCollection) ((XYPlot) panels.get(1)).getDataset();
        assertThat(residuals.getItemCount(0)).isEqualTo(obs.size());
        for (int i = 0; i < obs.size(); i++) {
            StepObservation o = obs.get(i);
            double fitted = model.offsetAt(o.epochMillis());
            assertThat(residuals.getXValue(0, i)).isEqualTo((o.epochMillis() - START) / (double) DAY);
            assertThat(residuals.getYValue(0, i)).isEqualTo((o.offsetLow() + o.offsetHigh()) / 2 - fitted);
            assertThat(residuals.getStartYValue(0, i)).isEqualTo(o.offsetLow() - fitted);
            assertThat(residuals.getEndYValue(0, i)).isEqualTo(o.offsetHigh() - fitted);
            // a steady drift: the estimate fits every observation, each period holds the zero line
            assertThat(residuals.getStartYValue(0, i)).isLessThanOrEqualTo(1e-9);
            assertThat(residuals.getEndYValue(0, i)).isGreaterThanOrEqualTo(-1e-9);
        }
    }
}
