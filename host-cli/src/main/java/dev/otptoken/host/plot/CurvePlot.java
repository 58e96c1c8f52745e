package dev.otptoken.host.plot;

import dev.otptoken.host.calibrate.TemperatureFit;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * {@code calibrate --temperatures --plot FILE.svg|png} (docs/calibration.md, "The plot"): the
 * crystal's fitted rate over 0–40 °C with its 95 % band, and the measured runs with their 95 %
 * intervals, drawn with JFreeChart and written by {@link PlotFile}.
 */
public final class CurvePlot {
    static final double MIN_CELSIUS = 0;
    static final double MAX_CELSIUS = 40;
    private static final double STEP_CELSIUS = 0.5;

    private CurvePlot() {
    }

    /** The chart of a fit and its runs, at the time {@code atMicros} of the token's clock. */
    public static JFreeChart chart(TemperatureFit fit, List<TemperatureFit.Point> runs, long atMicros, String title) {
        YIntervalSeries curve = new YIntervalSeries("fit ± 95 %");
        for (double c = MIN_CELSIUS; c <= MAX_CELSIUS + 1e-9; c += STEP_CELSIUS) {
            double r = fit.ratePpm(c, atMicros);
            double b = fit.rate95Ppm(c, atMicros);
            curve.add(c, r, r - b, r + b);
        }
        YIntervalSeries measured = new YIntervalSeries("measured runs ± 95 %");
        for (TemperatureFit.Point p : runs) {
            measured.add(p.celsius(), p.ratePpm(), p.ratePpm() - p.rate95Ppm(), p.ratePpm() + p.rate95Ppm());
        }
        YIntervalSeriesCollection curveData = new YIntervalSeriesCollection();
        curveData.addSeries(curve);
        YIntervalSeriesCollection pointData = new YIntervalSeriesCollection();
        pointData.addSeries(measured);
        NumberAxis x = new NumberAxis("temperature on the token's sensor (°C)");
        x.setRange(MIN_CELSIUS, MAX_CELSIUS);
        NumberAxis y = new NumberAxis("crystal rate, trim removed (ppm)");
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer band = new DeviationRenderer(true, false);
        band.setSeriesPaint(0, new Color(0x1F, 0x5F, 0xBF));
        band.setSeriesFillPaint(0, new Color(0x9F, 0xBF, 0xEF));
        band.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(curveData, x, y, band);
        XYErrorRenderer dots = new XYErrorRenderer();
        dots.setDrawXError(false);
        dots.setSeriesPaint(0, new Color(0xC0, 0x30, 0x20));
        plot.setDataset(1, pointData);
        plot.setRenderer(1, dots);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The subtitle line: the fitted values. */
    public static String summary(TemperatureFit fit) {
        return String.format(Locale.ROOT, "turnover %.2f ± %.2f °C, k %.4f ± %.4f ppm/°C², offset %+.3f ± %.3f ppm",
                fit.turnoverCelsius(), fit.turnover95(), fit.kPpmPerCelsius2(), fit.k95(), fit.offsetPpm(),
                fit.offset95());
    }
}
