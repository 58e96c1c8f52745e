package dev.otptoken.host.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The host's one kind of chart: a fitted line with its 95 % band (blue, {@link #LINE}) and the
 * measured points with their intervals (red error bars, {@link #POINTS}) in the upper panel;
 * underneath, on the same x axis, the residuals, each point minus the line at it with the
 * point's interval ({@link #RESIDUALS}), about a zero line; on white.
 */
final class BandChart {
    /** The line's colour; the tests look for its pixels. */
    static final Color LINE = new Color(0x1F, 0x5F, 0xBF);
    static final Color BAND = new Color(0x9F, 0xBF, 0xEF);
    /** The points' colour. */
    static final Color POINTS = new Color(0xC0, 0x30, 0x20);
    /** The residuals' colour. */
    static final Color RESIDUALS = new Color(0x20, 0x80, 0x40);
    /** The residual panel's series. */
    static final String RESIDUAL_SERIES = "measured − fit";
    /** The upper panel's height to the residual panel's. */
    static final int MAIN_WEIGHT = 3;
    static final int RESIDUAL_WEIGHT = 1;
    private static final float LINE_WIDTH = 2f;

    private BandChart() {
    }

    /**
     * The chart: {@code line} with its band and {@code points} above, {@code residuals} (each
     * point minus the line, in the unit of {@code residualAxis}) below.
     */
    static JFreeChart of(String title, NumberAxis x, NumberAxis y, YIntervalSeries line, YIntervalSeries points,
                         NumberAxis residualAxis, YIntervalSeries residuals) {
        XYPlot upper = panel(y, line);
        YIntervalSeriesCollection pointData = new YIntervalSeriesCollection();
        pointData.addSeries(points);
        upper.setDataset(1, pointData);
        upper.setRenderer(1, bars(POINTS));
        YIntervalSeriesCollection residualData = new YIntervalSeriesCollection();
        residualData.addSeries(residuals);
        XYPlot lower = new XYPlot(residualData, null, residualAxis, bars(RESIDUALS));
        lower.addRangeMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
        style(lower);
        return stacked(title, x, new XYPlot[] {upper, lower}, new int[] {MAIN_WEIGHT, RESIDUAL_WEIGHT}, true);
    }

    /** A panel of one line with its band, on the x axis of the chart it goes into. */
    static XYPlot panel(NumberAxis y, YIntervalSeries line) {
        YIntervalSeriesCollection lineData = new YIntervalSeriesCollection();
        lineData.addSeries(line);
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer band = new DeviationRenderer(true, false);
        band.setSeriesPaint(0, LINE);
        band.setSeriesFillPaint(0, BAND);
        band.setSeriesStroke(0, new BasicStroke(LINE_WIDTH));
        XYPlot plot = new XYPlot(lineData, null, y, band);
        style(plot);
        return plot;
    }

    /**
     * Panels one above the other on one x axis, their heights in the ratio of {@code weights},
     * with the legend of their series or without one.
     */
    static JFreeChart stacked(String title, NumberAxis x, XYPlot[] panels, int[] weights, boolean legend) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        for (int i = 0; i < panels.length; i++) {
            plot.add(panels[i], weights[i]);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static XYErrorRenderer bars(Color colour) {
        XYErrorRenderer bars = new XYErrorRenderer();
        bars.setDrawXError(false);
        bars.setSeriesPaint(0, colour);
        return bars;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
}
