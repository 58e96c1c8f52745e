package dev.otptoken.host.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token clock's offset and rate relative to the host, fitted from {@link ClockSample}s.
 *
 * <p>Each sample's offset (token − host at the exchange's midpoint) is modelled as
 * {@code offset(t) = a + b·t}; b is the rate error. Outliers are found against a plane that
 * also has a round-trip term (see {@link PlaneFit}); the final line goes through per-bin
 * means of the offsets taken along that term to the run's mean round trip, so that a return
 * path slowing down is not read as a rate, and its interval reflects the link's slow wander
 * (see {@code binned}). Exchanges with slow round trips (beyond the typical round trip) are
 * discarded first, then points whose residual is far outside the rest (robust MAD rule).
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
    /** Fewest samples a fit takes (offset, rate and the round-trip term, plus one). */
    public static final int MIN_SAMPLES = 4;
    /** Residuals beyond this many robust sigmas are dropped. */
    private static final double RESIDUAL_SIGMA_LIMIT = 4.0;
    /** Passes of residual rejection (each refits). */
    private static final int RESIDUAL_PASSES = 3;
    /** Below this residual scale (the token's 1 µs resolution) nothing is an outlier. */
    private static final double RESIDUAL_FLOOR_SECONDS = 2e-6;
    /** Shortest bin of time whose mean offset is one point of the final line, seconds. */
    private static final double MIN_BIN_SECONDS = 1.0;
    /** Most bins: more would leave too few samples per bin to average. */
    private static final int MAX_BINS = 60;
    /** Fewest bins for a binned fit. */
    private static final int MIN_BINS = 8;
    /** Scale of the MAD to a normal standard deviation. */
    private static final double MAD_TO_SIGMA = 1.4826;

    /** Fits the samples (at least {@link #MIN_SAMPLES}, at distinct instants). */
    public static DriftEstimate fit(List<ClockSample> samples) {
        if (samples.size() < MIN_SAMPLES) {
            throw new IllegalArgumentException("need at least " + MIN_SAMPLES + " clock samples, got " + samples.size());
        }
        // Every exchange of a typical round trip counts, not only the fastest: the round-trip
        // term takes out what late replies do to the midpoint, and on a loaded host the fastest
        // exchanges come from a few quiet moments of the run, not from the whole of it.
        return fitKept(samples, keepFaster(samples, typicalRoundTripLimit(samples)));
    }

    private static DriftEstimate fitKept(List<ClockSample> samples, List<ClockSample> keptByRoundTrip) {
        List<ClockSample> kept = keptByRoundTrip;
        long t0 = kept.get(0).hostMidpointNanos();
        PlaneFit fit = fitOffsets(kept, t0);
        // Residual rejection with a robust scale: a reading delayed inside the token (a GC
        // pause, a busy interface) shows as a point off the plane although its round trip looked
        // fine; the MAD is not inflated by the very points it has to find.
        for (int pass = 0; pass < RESIDUAL_PASSES; pass++) {
            double[] residuals = new double[kept.size()];
            for (int i = 0; i < residuals.length; i++) {
                ClockSample s = kept.get(i);
                residuals[i] = Math.abs(s.offsetSeconds() - fit.at(x(s, t0), z(s)));
            }
            double limit = RESIDUAL_SIGMA_LIMIT * Math.max(median(residuals) * MAD_TO_SIGMA, RESIDUAL_FLOOR_SECONDS);
            List<ClockSample> clean = new ArrayList<>(kept.size());
            for (int i = 0; i < residuals.length; i++) {
                if (residuals[i] <= limit) {
                    clean.add(kept.get(i));
                }
            }
            if (clean.size() < MIN_SAMPLES || clean.size() == kept.size()) {
                break;
            }
            kept = clean;
            fit = fitOffsets(kept, t0);
        }
        ClockSample last = kept.get(kept.size() - 1);
        long atHost = last.hostMidpointNanos();
        double xLast = x(last, t0);
        LinearFit line = binned(kept, t0, xLast, fit);
        return new DriftEstimate(line.at(xLast), line.halfWidth95At(xLast), line.slope() * 1e6,
                line.slopeHalfWidth95() * 1e6, atHost, kept.size(), samples.size() - kept.size(),
                xLast, fit.residualSigma() * 1e6);
    }

    /**
     * The line through per-bin means of the offsets. The samples' errors are not
     * independent: the link's delays wander over seconds, and fast exchanges cluster in quiet
     * moments. Per-sample least squares would then state an interval far narrower than its
     * real error; one mean per bin of time weighs every part of the run equally, and the
     * scatter of the bins carries the wander into the Student-t interval. Wander slower than a
     * bin makes neighbouring bins err alike; {@link LinearFit#ofSerial} widens the interval for
     * that. Too few bins (a short run): the line through the samples, widened the same way.
     */
    private static LinearFit binned(List<ClockSample> kept, long t0, double span, PlaneFit plane) {
        int bins = (int) Math.min(MAX_BINS, Math.floor(span / MIN_BIN_SECONDS));
        if (bins < MIN_BINS) {
            return plainLine(kept, t0, plane);
        }
        double width = span / bins;
        List<List<ClockSample>> groups = new ArrayList<>();
        for (int i = 0; i <= bins; i++) {
            groups.add(new ArrayList<>());
        }
        for (ClockSample s : kept) {
            groups.get((int) Math.min(bins, Math.floor(x(s, t0) / width))).add(s);
        }
        List<double[]> points = new ArrayList<>();
        for (List<ClockSample> g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            double[] xs = g.stream().mapToDouble(s -> x(s, t0)).toArray();
            double[] ys = g.stream().mapToDouble(s -> atMeanRoundTrip(s, plane)).toArray();
            // outliers are gone already: the mean uses every remaining sample fully
            points.add(new double[] {mean(xs), mean(ys)});
        }
        if (points.size() < MIN_BINS) {
            return plainLine(kept, t0, plane);
        }
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        return LinearFit.ofSerial(x, y);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static LinearFit plainLine(List<ClockSample> kept, long t0, PlaneFit plane) {
        double[] x = kept.stream().mapToDouble(s -> x(s, t0)).toArray();
        double[] y = kept.stream().mapToDouble(s -> atMeanRoundTrip(s, plane)).toArray();
        return LinearFit.ofSerial(x, y);
    }

    /**
     * The sample's offset moved to the run's mean round trip along the plane's round-trip
     * term. Where the token reads its clock at a fixed time after the request leaves and the
     * reply's way back is what varies (a pseudo-terminal; a USB serial adapter's latency
     * timer), a reply d late moves the midpoint by d/2 and the offset by −d/2; when the
     * return path slows or speeds up over a minute that shift is a false rate. The fitted term
     * takes out whatever share of the round trip the data show, not an assumed half.
     */
    private static double atMeanRoundTrip(ClockSample s, PlaneFit plane) {
        return s.offsetSeconds() - plane.c() * (z(s) - plane.zMean());
    }

    private static double x(ClockSample s, long t0) {
        return (s.hostMidpointNanos() - t0) / 1e9;
    }

    private static double z(ClockSample s) {
        return s.roundTripNanos() / 1e9;
    }

    private static PlaneFit fitOffsets(List<ClockSample> samples, long t0) {
        double[] x = new double[samples.size()];
        double[] z = new double[samples.size()];
        double[] y = new double[samples.size()];
        for (int i = 0; i < x.length; i++) {
            ClockSample s = samples.get(i);
            x[i] = x(s, t0);
            z[i] = z(s);
            y[i] = s.offsetSeconds();
        }
        return PlaneFit.of(x, z, y);
    }

    /** Round trips beyond median + 3 scaled MADs: the exchange stalled somewhere. */
    private static double typicalRoundTripLimit(List<ClockSample> samples) {
        double[] rtt = samples.stream().mapToDouble(ClockSample::roundTripNanos).toArray();
        double median = median(rtt);
        double[] dev = Arrays.stream(rtt).map(r -> Math.abs(r - median)).toArray();
        double mad = median(dev) * MAD_TO_SIGMA;
        // A floor keeps a perfectly regular link (MAD 0) from discarding harmless jitter.
        return median + RTT_MAD_LIMIT * Math.max(mad, median * 0.05);
    }

    private static List<ClockSample> keepFaster(List<ClockSample> samples, double limit) {
        List<ClockSample> kept = new ArrayList<>(samples.size());
        for (ClockSample s : samples) {
            if (s.roundTripNanos() <= limit) {
                kept.add(s);
            }
        }
        return kept.size() >= MIN_SAMPLES ? kept : new ArrayList<>(samples);
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
