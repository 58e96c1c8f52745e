package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.calibrate.YearForecast;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code calibrate --temperatures --plot}: the curve, and the predicted year stacked under it in one file. */
class YearPlotTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static List<JFreeChart> charts() {
        return CurvePlot.charts(TemperatureFit.fit(CurvePlotTest.RUNS), CurvePlotTest.RUNS, CurvePlotTest.T, 42);
    }

    @Test
    void theYearPanelsHoldTheForecastDayByDay() {
        TemperatureFit fit = TemperatureFit.fit(CurvePlotTest.RUNS);
        YearForecast f = YearForecast.of(fit, CurvePlotTest.T);
        List<?> panels = ((CombinedDomainXYPlot) YearPlot.chart(f, fit, "y").getPlot()).getSubplots();
        assertThat(panels).hasSize(3);
        YIntervalSeriesCollection compensated = (YIntervalSeriesCollection) ((XYPlot) panels.get(0)).getDataset();
        YIntervalSeriesCollection crystal = (YIntervalSeriesCollection) ((XYPlot) panels.get(1)).getDataset();
        YIntervalSeriesCollection temperature = (YIntervalSeriesCollection) ((XYPlot) panels.get(2)).getDataset();
        // day 0 and every day of the year
        assertThat(crystal.getItemCount(0)).isEqualTo(YearForecast.DAYS + 1);
        assertThat(temperature.getItemCount(0)).isEqualTo(YearForecast.DAYS);
        YearForecast.Day end = f.end();
        assertThat(crystal.getYValue(0, YearForecast.DAYS)).isEqualTo(end.crystalSeconds());
        assertThat(crystal.getEndYValue(0, YearForecast.DAYS)).isCloseTo(end.crystalSeconds() + end.band95Seconds(),
                within(1e-9));
        assertThat(compensated.getYValue(0, YearForecast.DAYS)).isZero();
        assertThat(compensated.getEndYValue(0, YearForecast.DAYS)).isEqualTo(end.band95Seconds());
        assertThat(end.band95Seconds()).isPositive();
    }

    @Test
    void svgHoldsBothChartsOneUnderTheOther() throws Exception {
        Path f = dir.resolve("temperatures.svg");
        PlotFile.write(charts(), f);
        Document d = PlotFiles.svg(f);
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("900.0");
        assertThat(d.getDocumentElement().getAttribute("height")).isEqualTo("1120.0");
        assertThat(d.getDocumentElement().getTextContent()).contains(
                "otptoken 42: crystal rate over temperature", "measured − fit (ppm)",
                "otptoken 42: the year ahead, predicted from the curve", "days after the calibration",
                "compensated ± 95 % (s)", "crystal alone ± 95 % (s)", "assumed (°C)",
                "assumed temperatures: a northern year, monthly means 12–29 °C (coldest in January), ±5 °C a day;"
                        + " from 2027-01-15",
                "no aging term (the history spans less than 14 days)");
    }

    @Test
    void pngIsTwiceTheHeightWithBothCharts() throws Exception {
        BufferedImage img = PlotFiles.png(charts(), dir.resolve("temperatures.png"));
        assertThat(img.getHeight()).isEqualTo(1120);
        BufferedImage year = img.getSubimage(0, PlotFile.HEIGHT, PlotFile.WIDTH, PlotFile.HEIGHT);
        assertThat(PlotFiles.pixels(year, BandChart.LINE)).as("the year's lines").isGreaterThan(1000);
    }
}
