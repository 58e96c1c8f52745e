package dev.otptoken.host.cli;

import dev.otptoken.host.calibrate.CalibrationHistory;
import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.session.ClockMeasurement;
import dev.otptoken.host.session.CompensationCurve;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code otptoken clock} adds for a token that compensates its temperature
 * (docs/calibration.md, "What `otptoken clock` predicts"): the curve in force, the sensor now,
 * and, from the fit of the token's calibration history, how long the clock stays within ±1
 * step (30 s) without a sync: the offset now plus the worst 95 % band of the fit's rate over
 * 0–40 °C, integrated day by day (the aging term's band grows with time).
 */
record ClockForecast(CompensationCurve curve, double sensorCelsius, double offsetSeconds,
                     Optional<TemperatureFit> fit, double daysWithinWindow) {
    static final double WINDOW_SECONDS = 30;
    /** The forecast looks no further than this. */
    static final int MAX_DAYS = 3650;
    private static final long DAY_MICROS = 86_400_000_000L;
    private static final double SECONDS_PER_DAY_PER_PPM = 0.0864;

    /** The forecast of a compensating token; empty for one without a curve (or without the command). */
    static Optional<ClockForecast> of(DeviceSession device, ClockMeasurement m, Map<String, String> env)
            throws IOException, ApduException, BadInputException {
        Optional<CompensationCurve> curve;
        try {
            curve = device.compensation();
        } catch (ApduException e) {
            if (e.statusWord() == StatusWord.INS_NOT_SUPPORTED) {
                return Optional.empty();
            }
            throw e;
        }
        if (curve.isEmpty()) {
            return Optional.empty();
        }
        double sensor = device.temperature();
        long serial = device.info().serial();
        Optional<TemperatureFit> fit = Optional.empty();
        try {
            CalibrationHistory h = CalibrationHistory.load(CalibrationHistory.file(env, serial), serial);
            if (!h.points().isEmpty()) {
                fit = Optional.of(TemperatureFit.fit(h.points()));
            }
        } catch (CalibrationHistory.BadHistoryException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            fit = Optional.empty();
        }
        double days = fit.map(f -> daysWithin(f, m.reading().tokenMicros(), m.offsetSeconds())).orElse(Double.NaN);
        return Optional.of(new ClockForecast(curve.get(), sensor, m.offsetSeconds(), fit, days));
    }

    /** Days until |offset| plus the integrated worst-case band reaches the window; MAX_DAYS if never. */
    static double daysWithin(TemperatureFit f, long nowMicros, double offsetSeconds) {
        double edge = Math.abs(offsetSeconds);
        for (int d = 0; d < MAX_DAYS; d++) {
            long t = nowMicros + d * DAY_MICROS;
            double band = 0;
            for (int c = 0; c <= 40; c += 5) {
                band = Math.max(band, f.rate95Ppm(c, t));
            }
            edge += band * SECONDS_PER_DAY_PER_PPM;
            if (edge >= WINDOW_SECONDS) {
                return d;
            }
        }
        return MAX_DAYS;
    }

    List<String> lines() {
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "compensation on: turnover %.2f °C, k %.4f ppm/°C², offset %+.3f ppm, aging"
                        + " %+.3f ppm; sensor %.2f °C", curve.turnoverCelsius(), curve.kPpmPerCelsius2(),
                curve.offsetPpm(), curve.agingPpm(), sensorCelsius));
        if (fit.isEmpty()) {
            l.add("forecast: no calibration history for this token on this host");
        } else if (daysWithinWindow >= MAX_DAYS) {
            l.add(String.format(Locale.ROOT, "forecast: offset %+.3f s now; within ±1 step (30 s) for more than 10 years"
                    + " at 0–40 °C (95 %%)", offsetSeconds));
        } else {
            l.add(String.format(Locale.ROOT, "forecast: offset %+.3f s now; within ±1 step (30 s) for at least %.0f days"
                    + " at 0–40 °C (95 %%)", offsetSeconds, daysWithinWindow));
        }
        return l;
    }
}
