package dev.otptoken.host.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token clock's offset and rate relative to the host, fitted from {@link ClockSample}s.
 *
 * <p>Each sample's offset (token − host at the exchange's midpoint) is modelled as
 * {@code offset(t) = a + b·t}; b is the rate error. Exchanges with slow round trips are
 * discarded first (the reading could lie anywhere within the round trip), then points whose
 * residual is far outside the rest.
 *
 * @param offsetSeconds      token − host at {@code atHostNanos}, seconds
 * @param offset95           half-width of the 95 % interval of the offset, seconds
 * @param ratePpm            token rate error, parts per million (positive: the token runs fast)
 * @param rate95Ppm          half-width of the 95 % interval of the rate, ppm
 * @param atHostNanos        host instant the offset refers to (the last sample's midpoint)
 * @param samplesUsed        samples in the fit
 * @param samplesDiscarded   samples discarded as outliers
 * @param spanSeconds        host time between the first and the last sample used
 * @param residualMicros     standard deviation of the fit's residuals, µs
 */
public record DriftEstimate(double offsetSeconds, double offset95, double ratePpm, double rate95Ppm,
                            long atHostNanos, int samplesUsed, int samplesDiscarded,
                            double spanSeconds, double residualMicros) {

    private static final double SECONDS_PER_DAY = 86_400.0;
    private static final double DAYS_PER_YEAR = 365.25;
    /** Round trips beyond median + this many scaled MADs are dropped. */
    private static final double RTT_MAD_LIMIT = 3.0;
    /** Residuals beyond this many sigmas are dropped (one pass). */
    private static final double RESIDUAL_SIGMA_LIMIT = 4.0;
    /** Scale of the MAD to a normal standard deviation. */
    private static final double MAD_TO_SIGMA = 1.4826;

    /** Fits the samples (at least three distinct instants after filtering). */
    public static DriftEstimate fit(List<ClockSample> samples) {
        if (samples.size() < 3) {
            throw new IllegalArgumentException("need at least 3 clock samples, got " + samples.size());
        }
        List<ClockSample> kept = dropSlowRoundTrips(samples);
        long t0 = kept.get(0).hostMidpointNanos();
        LinearFit fit = fitOffsets(kept, t0);
        // One pass of residual rejection: a reading delayed inside the token (a GC pause, a
        // busy interface) shows as a point off the line although its round trip looked fine.
        List<ClockSample> clean = new ArrayList<>(kept.size());
        for (ClockSample s : kept) {
            double x = (s.hostMidpointNanos() - t0) / 1e9;
            if (Math.abs(s.offsetSeconds() - fit.at(x)) <= RESIDUAL_SIGMA_LIMIT * fit.residualSigma()
                    || fit.residualSigma() == 0) {
                clean.add(s);
            }
        }
        if (clean.size() >= 3 && clean.size() < kept.size()) {
            kept = clean;
            fit = fitOffsets(kept, t0);
        }
        ClockSample last = kept.get(kept.size() - 1);
        long atHost = last.hostMidpointNanos();
        double xLast = (atHost - t0) / 1e9;
        double span = xLast;
        return new DriftEstimate(fit.at(xLast), fit.halfWidth95At(xLast), fit.slope() * 1e6,
                fit.slopeHalfWidth95() * 1e6, atHost, kept.size(), samples.size() - kept.size(),
                span, fit.residualSigma() * 1e6);
    }

    private static LinearFit fitOffsets(List<ClockSample> samples, long t0) {
        double[] x = new double[samples.size()];
        double[] y = new double[samples.size()];
        for (int i = 0; i < x.length; i++) {
            ClockSample s = samples.get(i);
            x[i] = (s.hostMidpointNanos() - t0) / 1e9;
            y[i] = s.offsetSeconds();
        }
        return LinearFit.of(x, y);
    }

    private static List<ClockSample> dropSlowRoundTrips(List<ClockSample> samples) {
        double[] rtt = samples.stream().mapToDouble(ClockSample::roundTripNanos).toArray();
        double median = median(rtt);
        double[] dev = Arrays.stream(rtt).map(r -> Math.abs(r - median)).toArray();
        double mad = median(dev) * MAD_TO_SIGMA;
        // A floor keeps a perfectly regular link (MAD 0) from discarding harmless jitter.
        double limit = median + RTT_MAD_LIMIT * Math.max(mad, median * 0.05);
        List<ClockSample> kept = new ArrayList<>(samples.size());
        for (ClockSample s : samples) {
            if (s.roundTripNanos() <= limit) {
                kept.add(s);
            }
        }
        return kept.size() >= 3 ? kept : new ArrayList<>(samples);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }

    /** The rate as seconds gained (positive) or lost per day. */
    public double secondsPerDay() {
        return ratePpm * 1e-6 * SECONDS_PER_DAY;
    }

    /** The rate as seconds gained or lost per year (365.25 days). */
    public double secondsPerYear() {
        return secondsPerDay() * DAYS_PER_YEAR;
    }

    /**
     * Days from {@link #atHostNanos()} until the token's offset reaches ±{@code windowSteps}
     * periods, where a verifier accepting ±{@code windowSteps} steps starts to reject its
     * codes. 0 when it is already outside; infinite when the rate is zero.
     */
    public double daysUntilOutsideWindow(int periodSeconds, int windowSteps) {
        double limit = (double) periodSeconds * windowSteps;
        if (Math.abs(offsetSeconds) >= limit) {
            return 0;
        }
        double rate = ratePpm * 1e-6;
        if (rate == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double target = rate > 0 ? limit : -limit;
        return (target - offsetSeconds) / rate / SECONDS_PER_DAY;
    }
}
