package dev.otptoken.host.calibrate;

/**
 * Ordinary least squares of y = intercept + slope·x with the standard errors and the
 * Student-t confidence intervals of both coefficients. x and y are centred before
 * summing, so large epoch values lose no precision.
 *
 * @param n              number of points
 * @param xMean          mean of x (the intercept is given at x = xMean)
 * @param intercept      fitted y at x = xMean
 * @param slope          fitted dy/dx
 * @param interceptError standard error of the intercept at x = xMean
 * @param slopeError     standard error of the slope
 * @param residualSigma  standard deviation of the residuals (n − 2 degrees of freedom)
 * @param dof            degrees of freedom of the Student-t intervals (n − 2, fewer when
 *                       {@link #ofSerial} finds the points correlated)
 */
public record LinearFit(int n, double xMean, double intercept, double slope,
                        double interceptError, double slopeError, double residualSigma, int dof) {

    /** Largest lag-1 correlation {@link #ofSerial} allows for: the widening stays at most 3×. */
    static final double MAX_SERIAL_CORRELATION = 0.8;

    /** Fits the points; needs at least three with distinct x. */
    public static LinearFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        int n = x.length;
        if (n < 3) {
            throw new IllegalArgumentException("need at least 3 points, got " + n);
        }
        double mx = mean(x);
        double my = mean(y);
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            sxx += dx * dx;
            sxy += dx * (y[i] - my);
        }
        if (!(sxx > 0)) {
            throw new IllegalArgumentException("all points have the same x");
        }
        double slope = sxy / sxx;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (my + slope * (x[i] - mx));
            ss += r * r;
        }
        double sigma = Math.sqrt(ss / (n - 2));
        return new LinearFit(n, mx, my, slope, sigma / Math.sqrt(n), sigma / Math.sqrt(sxx), sigma, n - 2);
    }

    /**
     * The same line, its standard errors widened for positive serial correlation of the
     * residuals (points in order of x). Where neighbouring points err alike (a calibration's
     * per-second offsets, when the link's delays wander over several seconds) the plain errors
     * count every point as independent and state too narrow an interval. With the residuals'
     * lag-1 correlation ρ (an AR(1) model), the effective number of points is n(1 − ρ)/(1 + ρ),
     * so the errors grow by √((1 + ρ)/(1 − ρ)) and the interval takes the Student-t quantile of
     * that many points; ρ ≤ 0 changes nothing. ρ is the residuals' sample correlation corrected
     * for its small-sample bias.
     */
    public static LinearFit ofSerial(double[] x, double[] y) {
        LinearFit plain = of(x, y);
        double lagged = 0;
        double squares = 0;
        double previous = y[0] - plain.at(x[0]);
        squares += previous * previous;
        for (int i = 1; i < x.length; i++) {
            double r = y[i] - plain.at(x[i]);
            lagged += r * previous;
            squares += r * r;
            previous = r;
        }
        int n = x.length;
        double sample = squares > 0 ? lagged / squares : 0;
        // the sample correlation of n residuals is low by about (1 + 3ρ)/n (Marriott and Pope)
        double rho = Math.min(MAX_SERIAL_CORRELATION, sample + (1 + 3 * sample) / n);
        if (!(rho > 0)) {
            return plain;
        }
        double widen = Math.sqrt((1 + rho) / (1 - rho));
        int effective = (int) Math.floor(n * (1 - rho) / (1 + rho));
        return new LinearFit(plain.n, plain.xMean, plain.intercept, plain.slope, plain.interceptError * widen,
                plain.slopeError * widen, plain.residualSigma, Math.max(1, Math.min(n - 2, effective - 2)));
    }

    /** The fitted y at {@code x}. */
    public double at(double x) {
        return intercept + slope * (x - xMean);
    }

    /** The standard error of the fitted y at {@code x}. */
    public double errorAt(double x) {
        double d = (x - xMean) * slopeError;
        return Math.sqrt(interceptError * interceptError + d * d);
    }

    /** Half-width of the two-sided 95 % confidence interval of the slope. */
    public double slopeHalfWidth95() {
        return studentT975(dof) * slopeError;
    }

    /** Half-width of the two-sided 95 % confidence interval of the fitted y at {@code x}. */
    public double halfWidth95At(double x) {
        return studentT975(dof) * errorAt(x);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /**
     * The 97.5 % quantile of Student's t with {@code dof} degrees of freedom: table values
     * up to 30, then the Cornish–Fisher expansion (error below 1e-4 there).
     */
    static double studentT975(int dof) {
        if (dof < 1) {
            throw new IllegalArgumentException("dof < 1");
        }
        double[] table = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
            2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
            2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
        if (dof <= table.length) {
            return table[dof - 1];
        }
        double z = 1.959963984540054;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        double v = dof;
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
    }
}
