package dev.otptoken.host.drift;

import dev.otptoken.host.calibrate.LinearFit;
import dev.otptoken.protocol.oath.Totp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The relying party's estimate of a token's clock from codes alone. Each observation
 * bounds the token's offset to an interval one period wide; a clock offset that drifts
 * linearly, {@code offset(t) = a + b·(t − t₀)}, must pass through every interval. The set
 * of feasible rates b is exactly the intersection, over all pairs of observations, of
 * {@code (lo_j − hi_i) / (t_j − t_i) ≤ b ≤ (hi_j − lo_i) / (t_j − t_i)} (for fixed b a
 * feasible a exists iff every lower bound lies below every upper bound), so the estimate is
 * exact bookkeeping, not a guess: the midpoint of the feasible rate range and, at that
 * rate, the midpoint of the feasible offsets. Observations close together bound the rate only
 * loosely (two codes 5 s apart allow ±6 s a second); until the bounds lie within
 * ±{@link #MAX_RATE_PPM}, a rate no running token clock comes near, the rate counts as unknown,
 * as with one observation, and the estimate uses the middle of the plausible rates the
 * observations allow.
 *
 * @param observations  the observations, oldest first
 * @param ratePpm       estimated rate (ppm); 0 with a single observation
 * @param rateLowPpm    lowest feasible rate (−∞ while the rate is unknown: one observation,
 *                      or bounds wider than ±{@link #MAX_RATE_PPM})
 * @param rateHighPpm   highest feasible rate
 * @param offsetSeconds estimated offset at the last observation
 * @param offsetLow     lowest feasible offset at the last observation (at the estimated rate)
 * @param offsetHigh    highest feasible offset at the last observation
 * @param consistent    false when no linear drift fits every observation (the clock was set,
 *                      or the temperature changed a lot): then the estimate is a least-squares
 *                      line through the interval midpoints
 */
public record StepDriftModel(List<StepObservation> observations, double ratePpm, double rateLowPpm,
                             double rateHighPpm, double offsetSeconds, double offsetLow,
                             double offsetHigh, boolean consistent) {

    /**
     * The fastest or slowest a token's clock plausibly runs, ppm (86 s a day): a tuning-fork
     * crystal is within ±20 ppm at 25 °C and about 150 ppm slow at −40 °C (docs/hardware.md);
     * a clock beyond this is not running, and the observations say nothing useful yet.
     */
    public static final double MAX_RATE_PPM = 1000.0;

    /** Rounding allowance when testing an offset interval for emptiness, seconds. */
    private static final double FEASIBILITY_SLACK_SECONDS = 1e-6;

    public StepDriftModel {
        observations = List.copyOf(observations);
    }

    /** Estimates from the observations (at least one). */
    public static StepDriftModel estimate(List<StepObservation> input) {
        if (input.isEmpty()) {
            throw new IllegalArgumentException("no observations");
        }
        List<StepObservation> obs = new ArrayList<>(input);
        obs.sort(Comparator.comparingLong(StepObservation::epochMillis));
        StepObservation last = obs.get(obs.size() - 1);
        double tLast = last.epochMillis() / 1000.0;
        double[] bounds = rateBounds(obs);
        double bLow = bounds[0];
        double bHigh = bounds[1];
        double max = MAX_RATE_PPM * 1e-6;
        boolean known = bLow >= -max && bHigh <= max;
        if (bLow > bHigh || bLow > max || bHigh < -max) {
            // no linear drift fits, or only one no running clock has
            return leastSquares(obs, tLast);
        }
        double b = known ? (bLow + bHigh) / 2 : (Math.max(bLow, -max) + Math.min(bHigh, max)) / 2;
        if (!known) {
            bLow = Double.NEGATIVE_INFINITY;
            bHigh = Double.POSITIVE_INFINITY;
        }
        double aLow = Double.NEGATIVE_INFINITY;
        double aHigh = Double.POSITIVE_INFINITY;
        for (StepObservation o : obs) {
            double d = o.epochMillis() / 1000.0 - tLast;
            aLow = Math.max(aLow, o.offsetLow() - b * d);
            aHigh = Math.min(aHigh, o.offsetHigh() - b * d);
        }
        if (aLow > aHigh) {
            // observations at one instant that disagree (no pair bounds the rate)
            return leastSquares(obs, tLast);
        }
        return new StepDriftModel(obs, b * 1e6, bLow * 1e6, bHigh * 1e6, (aLow + aHigh) / 2, aLow,
                aHigh, true);
    }

    /** The rates (s/s) every pair of observations allows, ±∞ where no pair bounds them; empty when low > high. */
    private static double[] rateBounds(List<StepObservation> obs) {
        double bLow = Double.NEGATIVE_INFINITY;
        double bHigh = Double.POSITIVE_INFINITY;
        for (int i = 0; i < obs.size(); i++) {
            for (int j = i + 1; j < obs.size(); j++) {
                double dt = (obs.get(j).epochMillis() - obs.get(i).epochMillis()) / 1000.0;
                if (dt <= 0) {
                    continue;
                }
                bLow = Math.max(bLow, (obs.get(j).offsetLow() - obs.get(i).offsetHigh()) / dt);
                bHigh = Math.min(bHigh, (obs.get(j).offsetHigh() - obs.get(i).offsetLow()) / dt);
            }
        }
        return new double[] {bLow, bHigh};
    }

    private static StepDriftModel leastSquares(List<StepObservation> obs, double tLast) {
        double[] x = new double[obs.size()];
        double[] y = new double[obs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = obs.get(i).epochMillis() / 1000.0 - tLast;
            y[i] = (obs.get(i).offsetLow() + obs.get(i).offsetHigh()) / 2;
        }
        double b = 0;
        double a = y[y.length - 1];
        if (x.length >= 3) {
            LinearFit fit = LinearFit.of(x, y);
            b = fit.slope();
            a = fit.at(0);
        } else if (x.length == 2 && x[0] != x[1]) {
            b = (y[1] - y[0]) / (x[1] - x[0]);
            a = y[1];
        }
        double half = obs.get(obs.size() - 1).periodSeconds() / 2.0;
        return new StepDriftModel(obs, b * 1e6, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, a,
                a - half, a + half, false);
    }

    /** Whether the rate is bounded (two observations far enough apart). */
    public boolean rateKnown() {
        return Double.isFinite(rateLowPpm) && Double.isFinite(rateHighPpm);
    }

    /** The estimated token offset (s) at {@code epochMillis}. */
    public double offsetAt(long epochMillis) {
        double d = (epochMillis - lastMillis()) / 1000.0;
        return offsetSeconds + ratePpm * 1e-6 * d;
    }

    /** The step offset the token most likely shows at {@code epochMillis}. */
    public long predictStepOffset(long epochMillis) {
        return stepOffsetFor(epochMillis, offsetAt(epochMillis));
    }

    /**
     * The lowest and highest step offsets consistent with the feasible region at
     * {@code epochMillis}: a verifier window must cover them.
     */
    public long[] stepOffsetRange(long epochMillis) {
        double[] range = offsetRangeAt(epochMillis);
        return new long[] {stepOffsetFor(epochMillis, range[0]),
            stepOffsetFor(epochMillis, Math.nextDown(range[1]))};
    }

    /**
     * The lowest and highest token offsets (s) at {@code epochMillis} over every (offset, rate)
     * that fits all observations. For a fixed rate b the offsets there form
     * {@code [max_i(lo_i + b(d − d_i)), min_i(hi_i + b(d − d_i))]}; the envelopes are piecewise
     * linear in b, so their extremes lie at the ends of the rate range or where two of their
     * lines cross — those are the only rates evaluated. While the rate is unknown, every
     * plausible rate ({@link #MAX_RATE_PPM}) the observations allow counts.
     */
    public double[] offsetRangeAt(long epochMillis) {
        if (!consistent) {
            return new double[] {offsetLow, offsetHigh};
        }
        double tLast = lastMillis() / 1000.0;
        double d = epochMillis / 1000.0 - tLast;
        int n = observations.size();
        double[] di = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            StepObservation o = observations.get(i);
            di[i] = o.epochMillis() / 1000.0 - tLast;
            lo[i] = o.offsetLow();
            hi[i] = o.offsetHigh();
        }
        double bLow = rateLowPpm * 1e-6;
        double bHigh = rateHighPpm * 1e-6;
        if (!rateKnown()) {
            double[] bounds = rateBounds(observations);
            bLow = Math.max(bounds[0], -MAX_RATE_PPM * 1e-6);
            bHigh = Math.min(bounds[1], MAX_RATE_PPM * 1e-6);
        }
        List<Double> rates = new ArrayList<>();
        rates.add(bLow);
        rates.add(bHigh);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dd = di[j] - di[i];
                if (dd != 0) {
                    addIfInside(rates, (hi[j] - hi[i]) / dd, bLow, bHigh);
                    addIfInside(rates, (lo[j] - lo[i]) / dd, bLow, bHigh);
                }
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double b : rates) {
            double low = Double.NEGATIVE_INFINITY;
            double high = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                low = Math.max(low, lo[i] + b * (d - di[i]));
                high = Math.min(high, hi[i] + b * (d - di[i]));
            }
            // at the ends of the rate range the feasible offsets shrink to a point, which
            // rounding can turn into an empty interval by a few ulps
            if (low <= high + FEASIBILITY_SLACK_SECONDS) {
                min = Math.min(min, low);
                max = Math.max(max, high);
            }
        }
        return new double[] {min, max};
    }

    private static void addIfInside(List<Double> rates, double b, double low, double high) {
        if (b >= low && b <= high) {
            rates.add(b);
        }
    }

    private long stepOffsetFor(long epochMillis, double offsetSeconds) {
        int period = observations.get(observations.size() - 1).periodSeconds();
        long periodMillis = period * 1000L;
        long own = Totp.step(epochMillis, Totp.MILLISECONDS, period);
        long token = (long) Math.floor((epochMillis + offsetSeconds * 1000.0) / periodMillis);
        return token - own;
    }

    private long lastMillis() {
        return observations.get(observations.size() - 1).epochMillis();
    }
}
