package dev.otptoken.host.plot;

import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.calibrate.YearForecast;
import dev.otptoken.host.calibrate.YearProfile;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;

/**
 * The year {@code calibrate --temperatures --plot} predicts (docs/calibration.md, "The
 * pictures"), from a {@link YearForecast}: on one axis of days, the offset of a token
 * compensated by the curve (0 ± the fit's 95 % band), the crystal alone's offset with the same
 * band, and the assumed temperature (each day's lowest to highest, its middle as the line),
 * which the subtitle names.
 */
public final class YearPlot {
    /** The panels' heights: the two offsets, then the temperature. */
    private static final int[] WEIGHTS = {2, 2, 1};

    private YearPlot() {
    }

    public static JFreeChart chart(YearForecast f, TemperatureFit fit, String title) {
        YIntervalSeries compensated = new YIntervalSeries("compensated by the curve");
        YIntervalSeries crystal = new YIntervalSeries("the crystal alone");
        YIntervalSeries temperature = new YIntervalSeries("assumed temperature");
        compensated.add(0, 0, 0, 0);
        crystal.add(0, 0, 0, 0);
        for (YearForecast.Day d : f.days()) {
            compensated.add(d.day(), 0, -d.band95Seconds(), d.band95Seconds());
            crystal.add(d.day(), d.crystalSeconds(), d.crystalSeconds() - d.band95Seconds(),
                    d.crystalSeconds() + d.band95Seconds());
            temperature.add(d.day(), (d.minCelsius() + d.maxCelsius()) / 2, d.minCelsius(), d.maxCelsius());
        }
        NumberAxis days = new NumberAxis("days after the calibration");
        days.setRange(0, YearForecast.DAYS);
        // the axes name the panels; one colour throughout, so no legend
        JFreeChart chart = BandChart.stacked(title, days, new XYPlot[] {
            BandChart.panel(new NumberAxis("compensated ± 95 % (s)"), compensated),
            BandChart.panel(new NumberAxis("crystal alone ± 95 % (s)"), crystal),
            BandChart.panel(new NumberAxis("assumed (°C)"), temperature)}, WEIGHTS, false);
        chart.addSubtitle(new TextTitle("assumed temperatures: " + YearProfile.describe() + "; from "
                + LocalDate.ofInstant(Instant.EPOCH.plusNanos(f.startMicros() * 1000), ZoneOffset.UTC)));
        chart.addSubtitle(new TextTitle(summary(f, fit)));
        return chart;
    }

    /** The subtitle line: the year's end, and whether aging is in it. */
    static String summary(YearForecast f, TemperatureFit fit) {
        YearForecast.Day end = f.end();
        return String.format(Locale.ROOT, "after %d days: compensated 0 ± %.1f s, crystal alone %+.0f ± %.1f s; %s",
                end.day(), end.band95Seconds(), end.crystalSeconds(), end.band95Seconds(),
                fit.agingFitted() ? String.format(Locale.ROOT, "aging %+.3f ppm per ln(1 + age/30 d) included",
                        fit.agingPpm())
                        : "no aging term (the history spans less than 14 days)");
    }
}
