package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.host.calibrate.TemperatureFit;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The plot files parse back as images of the stated size with the chart's content in them. */
class CurvePlotTest {
    static final long T = 1_800_000_000_000_000L;
    static final List<TemperatureFit.Point> RUNS = List.of(new TemperatureFit.Point(T, 10, 20 - 0.038 * 17.5 * 17.5, 0.13),
            new TemperatureFit.Point(T, 25, 20 - 0.038 * 2.5 * 2.5, 0.13),
            new TemperatureFit.Point(T, 40, 20 - 0.038 * 12.5 * 12.5, 0.13));

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static JFreeChart chart() {
        TemperatureFit fit = TemperatureFit.fit(RUNS);
        JFreeChart c = CurvePlot.chart(fit, RUNS, T, "otptoken 42: crystal rate over temperature");
        c.addSubtitle(new org.jfree.chart.title.TextTitle(CurvePlot.summary(fit)));
        return c;
    }

    @Test
    void svgParsesBackWithItsSizeAndTexts() throws Exception {
        Path f = dir.resolve("curve.svg");
        PlotFile.write(chart(), f);
        Document d = PlotFiles.svg(f);
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("900.0");
        assertThat(d.getDocumentElement().getAttribute("height")).isEqualTo("560.0");
        String text = d.getDocumentElement().getTextContent();
        assertThat(text).contains("otptoken 42: crystal rate over temperature", "turnover 27.50",
                "temperature on the token's sensor", "crystal rate, trim removed (ppm)", "fit ± 95 %",
                "measured runs ± 95 %", "measured − fit (ppm)");
        // each run's marker above, its residual's below, and one of each in the legend
        assertThat(PlotFiles.filledShapes(d, BandChart.POINTS)).isEqualTo(RUNS.size() + 1);
        assertThat(PlotFiles.filledShapes(d, BandChart.RESIDUALS)).isEqualTo(RUNS.size() + 1);
        assertThat(d.getElementsByTagName("path").getLength()).isGreaterThan(10);
    }

    @Test
    void pngParsesBackWithItsSizeAndColours() throws Exception {
        BufferedImage img = PlotFiles.png(List.of(chart()), dir.resolve("curve.PNG"));
        assertThat(PlotFiles.pixels(img, BandChart.LINE)).as("pixels of the fitted curve").isGreaterThan(500);
        assertThat(PlotFiles.pixels(img, BandChart.POINTS)).as("pixels of the runs' error bars").isGreaterThan(20);
        assertThat(PlotFiles.pixels(img, BandChart.RESIDUALS)).as("pixels of the residuals").isGreaterThan(20);
    }

    @Test
    void theResidualsAreEachRunMinusTheFitAtItsTemperatureAndTime() {
        // a history over 30 days: the fit has its aging term, so the time of each run counts
        long month = 30L * 86_400_000_000L;
        List<TemperatureFit.Point> history = List.of(RUNS.get(0), RUNS.get(1), RUNS.get(2),
                new TemperatureFit.Point(T + month, 10, 20.4 - 0.038 * 17.5 * 17.5, 0.13),
                new TemperatureFit.Point(T + month, 40, 20.2 - 0.038 * 12.5 * 12.5, 0.13));
        TemperatureFit fit = TemperatureFit.fit(history);
        assertThat(fit.agingFitted()).isTrue();
        List<?> panels = ((CombinedDomainXYPlot) CurvePlot.chart(fit, history, T + month, "t").getPlot()).getSubplots();
        assertThat(panels).hasSize(2);
        XYDataset measured = ((XYPlot) panels.get(0)).getDataset(1);
        XYDataset residuals = ((XYPlot) panels.get(1)).getDataset();
        assertThat(measured.getItemCount(0)).isEqualTo(history.size());
        assertThat(residuals.getItemCount(0)).isEqualTo(history.size());
        // the series keep their items in order of x (stable for equal ones)
        List<TemperatureFit.Point> byCelsius = history.stream()
                .sorted(java.util.Comparator.comparingDouble(TemperatureFit.Point::celsius)).toList();
        for (int i = 0; i < byCelsius.size(); i++) {
            TemperatureFit.Point p = byCelsius.get(i);
            assertThat(residuals.getXValue(0, i)).isEqualTo(p.celsius());
            assertThat(residuals.getYValue(0, i)).isEqualTo(p.ratePpm() - fit.ratePpm(p.celsius(), p.tokenMicros()));
            assertThat(((YIntervalSeriesCollection) residuals).getEndYValue(0, i) - residuals.getYValue(0, i))
                    .isCloseTo(p.rate95Ppm(), within(1e-12));
        }
    }

    @Test
    void anotherExtensionIsRefused() {
        assertThatThrownBy(() -> PlotFile.write(chart(), dir.resolve("curve.jpg")))
                .hasMessage("--plot: the file must end in .svg or .png");
    }
}
