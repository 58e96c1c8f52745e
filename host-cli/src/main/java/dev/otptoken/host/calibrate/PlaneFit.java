package dev.otptoken.host.calibrate;

/**
 * Ordinary least squares of {@code y = a + b·(x − x̄) + c·(z − z̄)} with the standard error of
 * b and its Student-t interval. Calibration uses it with x = time and z = round trip: where
 * inside an exchange the token reads its clock shifts with how long the exchange took, and
 * when the round trips change during a run (a JIT warming up, a machine getting busy) that
 * shift would otherwise masquerade as a rate.
 *
 * @param n             points
 * @param xMean         mean of x
 * @param zMean         mean of z
 * @param a             fitted y at the means
 * @param b             dy/dx at constant z
 * @param c             dy/dz at constant x
 * @param aError        standard error of a
 * @param bError        standard error of b
 * @param residualSigma standard deviation of the residuals (n − 3 degrees of freedom)
 */
public record PlaneFit(int n, double xMean, double zMean, double a, double b, double c, double aError,
                       double bError, double residualSigma) {

    /** Fits; needs at least four points and x and z not collinear (z may be constant: then c = 0). */
    public static PlaneFit of(double[] x, double[] z, double[] y) {
        int n = x.length;
        if (z.length != n || y.length != n) {
            throw new IllegalArgumentException("x, z and y differ in length");
        }
        if (n < 4) {
            throw new IllegalArgumentException("need at least 4 points, got " + n);
        }
        double mx = 0;
        double mz = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            mz += z[i];
            my += y[i];
        }
        mx /= n;
        mz /= n;
        my /= n;
        double sxx = 0;
        double szz = 0;
        double sxz = 0;
        double sxy = 0;
        double szy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dz = z[i] - mz;
            double dy = y[i] - my;
            sxx += dx * dx;
            szz += dz * dz;
            sxz += dx * dz;
            sxy += dx * dy;
            szy += dz * dy;
        }
        if (!(sxx > 0)) {
            throw new IllegalArgumentException("all points have the same x");
        }
        double det = sxx * szz - sxz * sxz;
        double b;
        double c;
        boolean useZ = szz > 0 && det > 1e-12 * sxx * szz;
        if (useZ) {
            b = (szz * sxy - sxz * szy) / det;
            c = (sxx * szy - sxz * sxy) / det;
        } else {
            b = sxy / sxx;
            c = 0;
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - (my + b * (x[i] - mx) + c * (z[i] - mz));
            ss += r * r;
        }
        int dof = useZ ? n - 3 : n - 2;
        double sigma = Math.sqrt(ss / dof);
        double bVar = useZ ? sigma * sigma * szz / det : sigma * sigma / sxx;
        return new PlaneFit(n, mx, mz, my, b, c, sigma / Math.sqrt(n), Math.sqrt(bVar), sigma);
    }

    /** The fitted y at (x, z). */
    public double at(double x, double z) {
        return a + b * (x - xMean) + c * (z - zMean);
    }

    /** Half-width of the two-sided 95 % interval of b. */
    public double bHalfWidth95() {
        return LinearFit.studentT975(Math.max(1, n - 3)) * bError;
    }

    /** Half-width of the 95 % interval of the fitted y at (x, zMean) (the z term's own error left out). */
    public double halfWidth95At(double x) {
        double d = (x - xMean) * bError;
        return LinearFit.studentT975(Math.max(1, n - 3)) * Math.sqrt(aError * aError + d * d);
    }
}
