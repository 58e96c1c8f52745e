package dev.otptoken.host.plot;

import dev.otptoken.host.drift.StepDriftModel;
import dev.otptoken.host.drift.StepObservation;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.data.xy.YIntervalSeries;

/**
 * {@code drift show --plot FILE.svg|png} (docs/calibration.md, "`otptoken drift`"): the
 * token's offset over time as a relying party sees it. Each observation bounds the offset to
 * one period (drawn as its interval); the estimated line runs through them and on for a third
 * of their span (at least 30 days) as the prediction, with the band of every (offset, rate)
 * that fits all of them. Underneath, each observation's middle and period minus the estimated
 * offset at its time.
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
        YIntervalSeries residuals = new YIntervalSeries(BandChart.RESIDUAL_SERIES);
        for (StepObservation o : obs) {
            double days = (o.epochMillis() - first) / MILLIS_PER_DAY;
            double mid = (o.offsetLow() + o.offsetHigh()) / 2;
            seen.add(days, mid, o.offsetLow(), o.offsetHigh());
            double fitted = model.offsetAt(o.epochMillis());
            residuals.add(days, mid - fitted, o.offsetLow() - fitted, o.offsetHigh() - fitted);
        }
        return BandChart.of(title, new NumberAxis("days since the first observation"),
                new NumberAxis("token offset (s)"), line, seen, new NumberAxis("observed − fit (s)"), residuals);
    }
}
