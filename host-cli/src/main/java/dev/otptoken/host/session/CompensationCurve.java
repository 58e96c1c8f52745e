package dev.otptoken.host.session;

/**
 * The crystal's error as the host fitted it, in physical units (docs/calibration.md,
 * "Temperature compensation"): {@code error(T, t) = offset − k·(T − T0)² + α·ln(1 + (t − origin)/τ)}
 * ppm, T on the token's own sensor (its offset is part of T0), t the token's clock. The token
 * stores it in fixed point (docs/protocol.md): 1 ppb, 0.01 °C, 10⁻⁶ ppm/°C².
 *
 * @param offsetPpm         the crystal's error at the turnover, trim excluded
 * @param turnoverCelsius   T0 on the token's sensor
 * @param kPpmPerCelsius2   k
 * @param agingPpm          α, ppm per unit of ln(1 + age/τ) (0: no aging term)
 * @param agingOriginMicros the token's clock reading aging counts from
 * @param agingTauSeconds   τ
 */
public record CompensationCurve(double offsetPpm, double turnoverCelsius, double kPpmPerCelsius2, double agingPpm,
                                long agingOriginMicros, long agingTauSeconds) {
    /**
     * τ of the aging law the host fits: 30 days. A crystal's aging is fast in its first weeks
     * and logarithmic after; with two calibrations a month apart only its size can be
     * fitted, not its time constant too.
     */
    public static final long AGING_TAU_SECONDS = 30L * 86_400;

    /** The error in ppm at a sensor temperature and a token clock reading. */
    public double crystalPpm(double celsius, long tokenMicros) {
        double d = celsius - turnoverCelsius;
        return offsetPpm - kPpmPerCelsius2 * d * d + agingPpm(tokenMicros);
    }

    /** The aging term alone at a token clock reading, ppm. */
    public double agingPpm(long tokenMicros) {
        if (agingPpm == 0 || tokenMicros <= agingOriginMicros) {
            return 0;
        }
        return agingPpm * Math.log1p((tokenMicros - agingOriginMicros) / 1e6 / agingTauSeconds);
    }
}
