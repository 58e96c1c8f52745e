package dev.otptoken.host.plot;

import dev.otptoken.host.drift.StepDriftModel;
import dev.otptoken.host.drift.StepObservation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * {@code drift show --plot FILE.svg|png} (docs/calibration.md, "`otptoken drift`"): the
 * token's offset over time as a relying party sees it. Each observation bounds the offset to
 * one period (drawn as its interval); the estimated line runs through them and on for a third
 * of their span (at least 30 days) as the prediction, with the band of every (offset, rate)
 * that fits all of them.
 */
public final class DriftPlot {
    private static final double MILLIS_PER_DAY = 86_400_000.0;
    private static final int LINE_POINTS = 200;
    private static final double MIN_AHEAD_DAYS = 30;

    private DriftPlot() {
    }

    public static JFreeChart chart(StepDriftModel model, List<StepObservation> obs, String title) {
        long first = obs.stream().mapToLong(StepObservation::epochMillis).min().orElseThrow();
        long last = obs.stream().mapToLong(StepObservation::epochMillis).max().orElseThrow();
        double spanDays = (last - first) / MILLIS_PER_DAY;
        double endDays = spanDays + Math.max(MIN_AHEAD_DAYS, spanDays / 3);
        YIntervalSeries line = new YIntervalSeries("estimate and prediction, every fit in the band");
        for (int i = 0; i <= LINE_POINTS; i++) {
            double days = endDays * i / LINE_POINTS;
            long at = first + Math.round(days * MILLIS_PER_DAY);
            double[] range = model.offsetRangeAt(at);
            line.add(days, model.offsetAt(at), range[0], range[1]);
        }
        YIntervalSeries seen = new YIntervalSeries("observations (each bounds the offset to a period)");
        for (StepObservation o : obs) {
            double mid = (o.offsetLow() + o.offsetHigh()) / 2;
            seen.add((o.epochMillis() - first) / MILLIS_PER_DAY, mid, o.offsetLow(), o.offsetHigh());
        }
        YIntervalSeriesCollection lineData = new YIntervalSeriesCollection();
        lineData.addSeries(line);
        YIntervalSeriesCollection seenData = new YIntervalSeriesCollection();
        seenData.addSeries(seen);
        NumberAxis x = new NumberAxis("days since the first observation");
        NumberAxis y = new NumberAxis("token offset (s)");
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer band = new DeviationRenderer(true, false);
        band.setSeriesPaint(0, new Color(0x1F, 0x5F, 0xBF));
        band.setSeriesFillPaint(0, new Color(0x9F, 0xBF, 0xEF));
        band.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(lineData, x, y, band);
        XYErrorRenderer bars = new XYErrorRenderer();
        bars.setDrawXError(false);
        bars.setSeriesPaint(0, new Color(0xC0, 0x30, 0x20));
        plot.setDataset(1, seenData);
        plot.setRenderer(1, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
