package dev.otptoken.host.plot;

import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.calibrate.YearForecast;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;

/**
 * {@code calibrate --temperatures --plot FILE.svg|png} (docs/calibration.md, "The plot"): the
 * crystal's fitted rate over 0–40 °C with its 95 % band and the measured runs with their 95 %
 * intervals; underneath, each run's rate minus the fit's at its temperature and time. Drawn
 * with JFreeChart and written by {@link PlotFile}.
 */
public final class CurvePlot {
    static final double MIN_CELSIUS = 0;
    static final double MAX_CELSIUS = 40;
    private static final double STEP_CELSIUS = 0.5;

    private CurvePlot() {
    }

    /**
     * What {@code calibrate --temperatures --plot} draws for token {@code serial}: the curve
     * with the runs, their residuals and the fitted values, and under it the year predicted
     * from the curve ({@link YearPlot}), both from {@code atMicros} on the token's clock.
     */
    public static List<JFreeChart> charts(TemperatureFit fit, List<TemperatureFit.Point> runs, long atMicros,
                                          long serial) {
        JFreeChart curve = chart(fit, runs, atMicros, "otptoken " + serial + ": crystal rate over temperature");
        curve.addSubtitle(new TextTitle(summary(fit)));
        return List.of(curve, YearPlot.chart(YearForecast.of(fit, atMicros), fit,
                "otptoken " + serial + ": the year ahead, predicted from the curve"));
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
        YIntervalSeries residuals = new YIntervalSeries(BandChart.RESIDUAL_SERIES);
        for (TemperatureFit.Point p : runs) {
            measured.add(p.celsius(), p.ratePpm(), p.ratePpm() - p.rate95Ppm(), p.ratePpm() + p.rate95Ppm());
            double r = residual(fit, p);
            residuals.add(p.celsius(), r, r - p.rate95Ppm(), r + p.rate95Ppm());
        }
        NumberAxis x = new NumberAxis("temperature on the token's sensor (°C)");
        x.setRange(MIN_CELSIUS, MAX_CELSIUS);
        return BandChart.of(title, x, new NumberAxis("crystal rate, trim removed (ppm)"), curve, measured,
                new NumberAxis("measured − fit (ppm)"), residuals);
    }

    /** A run's rate minus the fit's at its temperature and time (the aging term too), ppm. */
    static double residual(TemperatureFit fit, TemperatureFit.Point p) {
        return p.ratePpm() - fit.ratePpm(p.celsius(), p.tokenMicros());
    }

    /** The subtitle line: the fitted values. */
    public static String summary(TemperatureFit fit) {
        return String.format(Locale.ROOT, "turnover %.2f ± %.2f °C, k %.4f ± %.4f ppm/°C², offset %+.3f ± %.3f ppm",
                fit.turnoverCelsius(), fit.turnover95(), fit.kPpmPerCelsius2(), fit.k95(), fit.offsetPpm(),
                fit.offset95());
    }
}
