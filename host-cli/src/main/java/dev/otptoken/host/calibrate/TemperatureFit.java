package dev.otptoken.host.calibrate;

import dev.otptoken.host.session.CompensationCurve;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DiagonalMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * The crystal's error fitted to the rates of a token's calibrations (docs/calibration.md,
 * "Temperature compensation" and "Aging"):
 * {@code r(T, t) = offset − k·(T − T0)² + α·ln(1 + (t − origin)/τ)}, origin the first
 * calibration and τ {@link CompensationCurve#AGING_TAU_SECONDS}. α is fitted only when the
 * calibrations span {@link #MIN_AGING_SPAN_SECONDS} or more (else it is 0: a few hours cannot
 * tell aging from temperature).
 *
 * <p>Weighted least squares (Levenberg–Marquardt, Apache Commons Math), each point weighted by
 * its stated interval, with two prior points from the datasheets: T0 = 25 ± 5 °C and
 * k = 0.034 ± 0.004 ppm/°C² (one sigma). With three well-spread temperatures the
 * measurements outweigh the priors a hundred to one; with two, the priors settle what two
 * points cannot (three unknowns). The uncertainties are the fit's covariance, from the points'
 * own intervals, not their scatter, so a fit with as many points as unknowns still has them.
 *
 * @param offsetPpm       the crystal's error at its turnover at the origin, trim excluded
 * @param turnoverCelsius T0 on the token's sensor
 * @param kPpmPerCelsius2 k
 * @param agingPpm        α, ppm per unit of ln(1 + age/τ); 0 when not fitted
 * @param originMicros    the first calibration, on the token's clock
 * @param agingFitted     whether α was fitted
 * @param covariance      covariance of (offset, T0, k[, α])
 */
public record TemperatureFit(double offsetPpm, double turnoverCelsius, double kPpmPerCelsius2, double agingPpm,
                             long originMicros, boolean agingFitted, double[][] covariance) {
    /** The datasheets' turnover and its spread (one sigma). */
    public static final double PRIOR_TURNOVER = 25;
    public static final double PRIOR_TURNOVER_SIGMA = 5;
    /** The datasheets' k (0.030–0.040) and its spread (one sigma). */
    public static final double PRIOR_K = 0.034;
    public static final double PRIOR_K_SIGMA = 0.004;
    /** Calibrations closer together than this tell nothing about aging: 14 days. */
    public static final long MIN_AGING_SPAN_SECONDS = 14L * 86_400;
    /** Fewest degrees Celsius between the coldest and the warmest calibration. */
    public static final double MIN_TEMPERATURE_SPREAD = 5;
    /** A 95 % interval is this many sigmas. */
    public static final double Z95 = 1.96;
    private static final int MAX_EVALUATIONS = 1000;
    private static final double MICROS_PER_SECOND = 1e6;

    /**
     * One calibration run: the crystal's own rate (trim removed) at a sensor temperature.
     *
     * @param tokenMicros the token's clock at the run
     * @param celsius     the token's sensor reading during the run
     * @param ratePpm     the crystal's rate error, ppm
     * @param rate95Ppm   half-width of its 95 % interval
     */
    public record Point(long tokenMicros, double celsius, double ratePpm, double rate95Ppm) {
        public Point {
            if (!(rate95Ppm > 0) || !Double.isFinite(ratePpm) || !Double.isFinite(celsius)) {
                throw new IllegalArgumentException("a point needs a finite rate and temperature and a positive interval");
            }
        }
    }

    /**
     * Fits the points: at least two, at temperatures at least {@link #MIN_TEMPERATURE_SPREAD}
     * apart among the first day's.
     */
    public static TemperatureFit fit(List<Point> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no calibration to fit");
        }
        long origin = points.stream().mapToLong(Point::tokenMicros).min().getAsLong();
        double lo = points.stream().mapToDouble(Point::celsius).min().getAsDouble();
        double hi = points.stream().mapToDouble(Point::celsius).max().getAsDouble();
        if (points.size() < 2 || hi - lo < MIN_TEMPERATURE_SPREAD) {
            throw new IllegalArgumentException("the curve needs calibrations at two or more temperatures at least "
                    + (int) MIN_TEMPERATURE_SPREAD + " °C apart");
        }
        long last = points.stream().max(Comparator.comparingLong(Point::tokenMicros)).get().tokenMicros();
        boolean aging = (last - origin) / MICROS_PER_SECOND >= MIN_AGING_SPAN_SECONDS;
        int params = aging ? 4 : 3;
        int n = points.size();
        double[] target = new double[n + 2];
        double[] weights = new double[n + 2];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            target[i] = p.ratePpm();
            double sigma = p.rate95Ppm() / Z95;
            weights[i] = 1 / (sigma * sigma);
            x[i] = agingX(p.tokenMicros() - origin);
        }
        target[n] = PRIOR_TURNOVER;
        weights[n] = 1 / (PRIOR_TURNOVER_SIGMA * PRIOR_TURNOVER_SIGMA);
        target[n + 1] = PRIOR_K;
        weights[n + 1] = 1 / (PRIOR_K_SIGMA * PRIOR_K_SIGMA);
        double[] start = new double[params];
        start[0] = points.stream().mapToDouble(Point::ratePpm).max().getAsDouble();
        start[1] = PRIOR_TURNOVER;
        start[2] = PRIOR_K;
        LeastSquaresOptimizer.Optimum o = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                .model(v -> model(points, x, v))
                .target(target)
                .weight(new DiagonalMatrix(weights))
                .start(start)
                .maxEvaluations(MAX_EVALUATIONS)
                .maxIterations(MAX_EVALUATIONS)
                .build());
        RealVector v = o.getPoint();
        return new TemperatureFit(v.getEntry(0), v.getEntry(1), v.getEntry(2), aging ? v.getEntry(3) : 0, origin,
                aging, o.getCovariances(1e-14).getData());
    }

    /** ln(1 + age/τ), 0 before the origin. */
    static double agingX(long ageMicros) {
        return ageMicros <= 0 ? 0 : Math.log1p(ageMicros / MICROS_PER_SECOND / CompensationCurve.AGING_TAU_SECONDS);
    }

    /** Values and Jacobian: the points' rates, then T0 and k themselves (the priors). */
    private static Pair<RealVector, RealMatrix> model(List<Point> points, double[] x, RealVector v) {
        int params = v.getDimension();
        double c = v.getEntry(0);
        double t0 = v.getEntry(1);
        double k = v.getEntry(2);
        double alpha = params > 3 ? v.getEntry(3) : 0;
        int n = points.size();
        double[] value = new double[n + 2];
        double[][] jac = new double[n + 2][params];
        for (int i = 0; i < n; i++) {
            double d = points.get(i).celsius() - t0;
            value[i] = c - k * d * d + alpha * x[i];
            jac[i][0] = 1;
            jac[i][1] = 2 * k * d;
            jac[i][2] = -d * d;
            if (params > 3) {
                jac[i][3] = x[i];
            }
        }
        value[n] = t0;
        jac[n][1] = 1;
        value[n + 1] = k;
        jac[n + 1][2] = 1;
        return new Pair<>(new ArrayRealVector(value), new Array2DRowRealMatrix(jac, false));
    }

    public double offset95() {
        return Z95 * Math.sqrt(covariance[0][0]);
    }

    public double turnover95() {
        return Z95 * Math.sqrt(covariance[1][1]);
    }

    public double k95() {
        return Z95 * Math.sqrt(covariance[2][2]);
    }

    /** Half-width of α's 95 % interval; 0 when not fitted. */
    public double aging95() {
        return agingFitted ? Z95 * Math.sqrt(covariance[3][3]) : 0;
    }

    /** The fitted rate at a temperature at the origin (no aging), ppm. */
    public double ratePpm(double celsius) {
        return ratePpm(celsius, originMicros);
    }

    /** The fitted rate at a temperature and a token clock reading, ppm. */
    public double ratePpm(double celsius, long tokenMicros) {
        double d = celsius - turnoverCelsius;
        return offsetPpm - kPpmPerCelsius2 * d * d + agingPpm * agingX(tokenMicros - originMicros);
    }

    /** Half-width of the 95 % interval of {@link #ratePpm(double, long)} (gradient · covariance · gradient). */
    public double rate95Ppm(double celsius, long tokenMicros) {
        double d = celsius - turnoverCelsius;
        double[] g = {1, 2 * kPpmPerCelsius2 * d, -d * d, agingX(tokenMicros - originMicros)};
        int p = covariance.length;
        double var = 0;
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                var += g[i] * covariance[i][j] * g[j];
            }
        }
        return Z95 * Math.sqrt(Math.max(0, var));
    }

    /** The curve the token is given (with the aging term when it was fitted). */
    public CompensationCurve curve() {
        return new CompensationCurve(offsetPpm, turnoverCelsius, kPpmPerCelsius2, agingPpm, originMicros,
                CompensationCurve.AGING_TAU_SECONDS);
    }
}
