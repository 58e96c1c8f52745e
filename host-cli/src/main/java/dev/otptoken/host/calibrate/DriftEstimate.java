package dev.otptoken.host.calibrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token clock's offset and rate relative to the host, fitted from {@link ClockSample}s.
 *
 * <p>Each sample's offset (token − host at the exchange's midpoint) is
 * {@code a + b·t + (forward − return)/2}: b is the rate error, and the last term is the
 * link's asymmetry, which no host-side timing can see. A line through all midpoints reads
 * any drift of that asymmetry over the run as a rate: the typical delays of a
 * pseudo-terminal wander by tens of µs between stretches of seconds as the machine's load
 * changes, and 20 µs over a minute is 0.33 ppm. The fastest exchanges do not wander: both
 * ways near their minimum, the kernel's path and the code's, their asymmetry stays within a
 * few µs over a run (docs/calibration.md, "Accuracy"). So the run is cut into bins of time
 * (1 s, at most 60; runs under 20 s into 20), each bin gives one point, the mean time and
 * offset of its fastest tenth of round trips (the clock-filter idea of NTP, applied per bin
 * so that every part of the run counts equally), and the rate is the Theil–Sen slope of
 * those points: the median of the slopes between every two of them, which a few disturbed
 * seconds do not move.
 *
 * <p>The stated interval is the least-squares one of the points near the line, widened for
 * their serial correlation ({@link LinearFit#ofSerial}), and never less than an asymmetry
 * drift of {@link #ASYMMETRY_WANDER_SECONDS} over the run.
 *
 * @param offsetSeconds      token − host at {@code atHostNanos}, seconds
 * @param offset95           half-width of the 95 % interval of the offset, seconds
 * @param ratePpm            token rate error, parts per million (positive: the token runs fast)
 * @param rate95Ppm          half-width of the 95 % interval of the rate, ppm
 * @param atHostNanos        host instant the offset refers to (the last sample's midpoint)
 * @param samplesUsed        samples in the fit (the fastest of each bin)
 * @param samplesDiscarded   samples left out (the slower ones)
 * @param spanSeconds        host time between the first and the last sample's midpoint
 * @param residualMicros     standard deviation of the used samples' offsets about the line, µs
 */
public record DriftEstimate(double offsetSeconds, double offset95, double ratePpm, double rate95Ppm,
                            long atHostNanos, int samplesUsed, int samplesDiscarded,
                            double spanSeconds, double residualMicros) {

    private static final double SECONDS_PER_DAY = 86_400.0;
    private static final double DAYS_PER_YEAR = 365.25;
    /** Fewest samples a fit takes. */
    public static final int MIN_SAMPLES = 4;
    /** The share of each bin's exchanges, the fastest, that make its point. */
    static final double FASTEST_FRACTION = 0.10;
    /** Bin length aimed at, seconds. */
    private static final double BIN_SECONDS = 1.0;
    /** Most bins: longer runs get longer bins. */
    private static final int MAX_BINS = 60;
    /** Bins a short run is cut into (a 5-second run: 20 bins of 0.25 s), so that its interval has points to stand on. */
    private static final int SHORT_RUN_BINS = 20;
    /** Fewest bins for a binned fit; fewer, and the fastest samples of the whole run are fitted. */
    private static final int MIN_BINS = 8;
    /**
     * The drift of the fastest exchanges' asymmetry a run cannot rule out, seconds: on a
     * pseudo-terminal their forward and return times each held within a few µs over minutes,
     * once by 5 µs; with this floor the stated intervals of 5- to 60-second stretches of
     * twelve recorded runs missed 5–6 % of the errors (docs/calibration.md). Over a 60-second
     * run this is 0.133 ppm.
     */
    static final double ASYMMETRY_WANDER_SECONDS = 8e-6;
    /** Points further off the line than this many robust sigmas are left out of the interval. */
    private static final double OFF_LINE_LIMIT = 4.0;
    /** Scale of the MAD to a normal standard deviation. */
    private static final double MAD_TO_SIGMA = 1.4826;

    /**
     * The points a run's line was fitted to, and the line: what {@code calibrate --plot} draws
     * (docs/calibration.md, "The pictures"). The points are the bins' (the mean time and offset
     * of each bin's fastest exchanges), or a short run's fastest exchanges themselves.
     *
     * @param seconds   each point's host time, seconds from the run's first exchange
     * @param offsets   each point's offset, token − host, seconds
     * @param intercept the line's offset at the first exchange, seconds
     * @param slope     the line's slope, seconds per second (the rate)
     * @param spread    the least-squares fit the 95 % band comes from ({@link #halfWidth95At})
     */
    public record Line(double[] seconds, double[] offsets, double intercept, double slope, LinearFit spread) {
        public Line {
            if (seconds.length != offsets.length) {
                throw new IllegalArgumentException("seconds and offsets differ in length");
            }
        }

        /** The line's offset at {@code seconds} from the first exchange. */
        public double at(double seconds) {
            return intercept + slope * seconds;
        }

        /** Half-width of the line's 95 % band at {@code seconds}. */
        public double halfWidth95At(double seconds) {
            return spread.halfWidth95At(seconds);
        }

        /** Point {@code i}'s offset minus the line's at its time, seconds. */
        public double residual(int i) {
            return offsets[i] - at(seconds[i]);
        }
    }

    /** The estimate and the line it comes from. */
    public record Fitted(DriftEstimate estimate, Line line) {
    }

    /** Fits the samples (at least {@link #MIN_SAMPLES}, at distinct instants, in time order). */
    public static DriftEstimate fit(List<ClockSample> samples) {
        return fitted(samples).estimate();
    }

    /** {@link #fit}, with the points and the line. */
    public static Fitted fitted(List<ClockSample> samples) {
        if (samples.size() < MIN_SAMPLES) {
            throw new IllegalArgumentException("need at least " + MIN_SAMPLES + " clock samples, got " + samples.size());
        }
        long t0 = samples.get(0).hostMidpointNanos();
        ClockSample last = samples.get(samples.size() - 1);
        double span = x(last, t0);
        double width = Math.max(span / MAX_BINS, Math.min(BIN_SECONDS, span / SHORT_RUN_BINS));
        int bins = span > 0 ? (int) Math.floor(span / width) : 0;
        List<List<ClockSample>> groups = bins >= MIN_BINS ? split(samples, t0, span, bins) : List.of();
        List<ClockSample> used = new ArrayList<>();
        double slope;
        double intercept;
        LinearFit spread;
        double[] x;
        double[] y;
        if (groups.size() >= MIN_BINS) {
            x = new double[groups.size()];
            y = new double[groups.size()];
            for (int i = 0; i < x.length; i++) {
                List<ClockSample> fastest = fastest(groups.get(i));
                used.addAll(fastest);
                x[i] = fastest.stream().mapToDouble(s -> x(s, t0)).average().orElseThrow();
                y[i] = fastest.stream().mapToDouble(ClockSample::offsetSeconds).average().orElseThrow();
            }
            slope = theilSenSlope(x, y);
            double[] rest = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                rest[i] = y[i] - slope * x[i];
            }
            intercept = median(rest);
            spread = spreadOfTypicalPoints(x, y, slope, intercept);
        } else {
            // a handful of exchanges (fewer than MIN_BINS bins hold any): least squares through the fastest
            used.addAll(fastest(samples));
            if (used.size() < MIN_SAMPLES) {
                used.clear();
                used.addAll(samples);
            }
            x = used.stream().mapToDouble(s -> x(s, t0)).toArray();
            y = used.stream().mapToDouble(ClockSample::offsetSeconds).toArray();
            spread = LinearFit.ofSerial(x, y);
            slope = spread.slope();
            intercept = spread.at(0);
        }
        double floor = span > 0 ? ASYMMETRY_WANDER_SECONDS / span : 0;
        double rate95 = Math.max(spread.slopeHalfWidth95(), floor);
        double sum = 0;
        for (ClockSample s : used) {
            double r = s.offsetSeconds() - (intercept + slope * x(s, t0));
            sum += r * r;
        }
        double sigma = Math.sqrt(sum / Math.max(1, used.size() - 2));
        return new Fitted(new DriftEstimate(intercept + slope * span, spread.halfWidth95At(span), slope * 1e6,
                rate95 * 1e6, last.hostMidpointNanos(), used.size(), samples.size() - used.size(), span, sigma * 1e6),
                new Line(x, y, intercept, slope, spread));
    }

    /**
     * The least-squares interval of the points near the line. A bin whose fastest exchanges
     * were still disturbed (a stall of a second under load) lies far off: the Theil–Sen
     * slope ignores it, and so does the interval, which would otherwise grow by its square.
     */
    private static LinearFit spreadOfTypicalPoints(double[] x, double[] y, double slope, double intercept) {
        double[] dev = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dev[i] = Math.abs(y[i] - (intercept + slope * x[i]));
        }
        double limit = OFF_LINE_LIMIT * MAD_TO_SIGMA * median(dev);
        int kept = 0;
        for (double d : dev) {
            kept += d <= limit ? 1 : 0;
        }
        if (kept < MIN_BINS) {
            return LinearFit.ofSerial(x, y);
        }
        double[] kx = new double[kept];
        double[] ky = new double[kept];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (dev[i] <= limit) {
                kx[k] = x[i];
                ky[k++] = y[i];
            }
        }
        return LinearFit.ofSerial(kx, ky);
    }

    private static List<List<ClockSample>> split(List<ClockSample> samples, long t0, double span, int bins) {
        List<List<ClockSample>> groups = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            groups.add(new ArrayList<>());
        }
        double width = span / bins;
        for (ClockSample s : samples) {
            groups.get((int) Math.min(bins - 1, Math.floor(x(s, t0) / width))).add(s);
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }

    /** The exchanges of {@code group} whose round trip is within its fastest {@link #FASTEST_FRACTION}. */
    private static List<ClockSample> fastest(List<ClockSample> group) {
        long[] rtt = group.stream().mapToLong(ClockSample::roundTripNanos).sorted().toArray();
        long limit = rtt[(int) Math.floor(FASTEST_FRACTION * (rtt.length - 1))];
        List<ClockSample> out = new ArrayList<>();
        for (ClockSample s : group) {
            if (s.roundTripNanos() <= limit) {
                out.add(s);
            }
        }
        return out;
    }

    /** The median of the slopes between every two points of distinct x (Theil–Sen). */
    static double theilSenSlope(double[] x, double[] y) {
        int n = x.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[j] != x[i]) {
                    slopes[k++] = (y[j] - y[i]) / (x[j] - x[i]);
                }
            }
        }
        if (k == 0) {
            throw new IllegalArgumentException("all points have the same x");
        }
        return median(Arrays.copyOf(slopes, k));
    }

    private static double x(ClockSample s, long t0) {
        return (s.hostMidpointNanos() - t0) / 1e9;
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
