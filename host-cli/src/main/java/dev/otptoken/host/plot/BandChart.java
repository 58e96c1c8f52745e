package dev.otptoken.host.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The host's one kind of chart: a line with its 95 % band (blue, {@link #LINE}) and measured
 * points with their intervals (red error bars, {@link #POINTS}), on white.
 */
final class BandChart {
    /** The line's colour; the tests look for its pixels. */
    static final Color LINE = new Color(0x1F, 0x5F, 0xBF);
    static final Color BAND = new Color(0x9F, 0xBF, 0xEF);
    /** The points' colour. */
    static final Color POINTS = new Color(0xC0, 0x30, 0x20);
    private static final float LINE_WIDTH = 2f;

    private BandChart() {
    }

    static JFreeChart of(String title, NumberAxis x, NumberAxis y, YIntervalSeries line, YIntervalSeries points) {
        YIntervalSeriesCollection lineData = new YIntervalSeriesCollection();
        lineData.addSeries(line);
        YIntervalSeriesCollection pointData = new YIntervalSeriesCollection();
        pointData.addSeries(points);
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer band = new DeviationRenderer(true, false);
        band.setSeriesPaint(0, LINE);
        band.setSeriesFillPaint(0, BAND);
        band.setSeriesStroke(0, new BasicStroke(LINE_WIDTH));
        XYPlot plot = new XYPlot(lineData, x, y, band);
        XYErrorRenderer bars = new XYErrorRenderer();
        bars.setDrawXError(false);
        bars.setSeriesPaint(0, POINTS);
        plot.setDataset(1, pointData);
        plot.setRenderer(1, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
