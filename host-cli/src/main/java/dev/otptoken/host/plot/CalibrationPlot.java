package dev.otptoken.host.plot;

import dev.otptoken.host.calibrate.Calibration;
import dev.otptoken.host.calibrate.DriftEstimate;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;

/**
 * {@code calibrate --plot FILE.svg|png} (docs/calibration.md, "The pictures"): the token's
 * offset from the host during the measurement, the points the rate was fitted to (each bin's
 * fastest exchanges), the fitted line with its 95 % band, and underneath each point minus the
 * line.
 */
public final class CalibrationPlot {
    private static final double MILLIS_PER_SECOND = 1e3;
    private static final double MICROS_PER_SECOND = 1e6;
    private static final int LINE_POINTS = 100;

    private CalibrationPlot() {
    }

    /** The chart of a calibration's measurement, with its figures as the subtitle. */
    public static JFreeChart chart(Calibration c, String title) {
        DriftEstimate.Line fit = c.line();
        double[] x = fit.seconds();
        double end = x.length == 0 ? 0 : x[x.length - 1];
        YIntervalSeries line = new YIntervalSeries("fit ± 95 %");
        for (int i = 0; i <= LINE_POINTS; i++) {
            double s = end * i / LINE_POINTS;
            double y = fit.at(s) * MILLIS_PER_SECOND;
            double b = fit.halfWidth95At(s) * MILLIS_PER_SECOND;
            line.add(s, y, y - b, y + b);
        }
        YIntervalSeries measured = new YIntervalSeries("measured (the fastest exchanges of each bin)");
        YIntervalSeries residuals = new YIntervalSeries(BandChart.RESIDUAL_SERIES);
        for (int i = 0; i < x.length; i++) {
            double y = fit.offsets()[i] * MILLIS_PER_SECOND;
            measured.add(x[i], y, y, y);
            double r = fit.residual(i) * MICROS_PER_SECOND;
            residuals.add(x[i], r, r, r);
        }
        JFreeChart chart = BandChart.of(title, new NumberAxis("seconds since the measurement began"),
                new NumberAxis("token − host (ms)"), line, measured, new NumberAxis("measured − fit (µs)"), residuals);
        chart.addSubtitle(new TextTitle(summary(c)));
        return chart;
    }

    /** The subtitle line: the estimate's figures. */
    static String summary(Calibration c) {
        DriftEstimate e = c.estimate();
        return String.format(Locale.ROOT, "rate %+.2f ± %.2f ppm, offset %+.6f ± %.6f s at the end;"
                + " %d points from %d exchanges (their residual σ %.0f µs)", e.ratePpm(), e.rate95Ppm(),
                e.offsetSeconds(), e.offset95(), c.line().seconds().length, e.samplesUsed(), e.residualMicros());
    }
}
