package dev.otptoken.firmware.device;

/**
 * The crystal's error as the host measured it, in the fixed-point units the token stores
 * (docs/protocol.md, "Temperature and aging compensation"):
 * {@code error(T, t) = offset − k·(T − T0)² + α·ln(1 + (t − origin)/τ)} in ppm, T the
 * sensor's reading, t the RTC's reading (no aging before the origin).
 *
 * @param offsetPpb      crystal error at the turnover, trim excluded, ppb
 * @param turnoverCenti  T0 on the token's sensor, 0.01 °C
 * @param kMicro         k in 10⁻⁶ ppm/°C²
 * @param agingPpb       α, ppb
 * @param originMicros   the RTC reading aging counts from
 * @param tauSeconds     τ, seconds (≥ 1)
 */
public record CompensationCurve(int offsetPpb, int turnoverCenti, int kMicro, int agingPpb, long originMicros,
                                long tauSeconds) {
    /** The turnover range accepted, 0.01 °C: −40 to +85 °C, the sensor's range. */
    static final int MIN_TURNOVER = -4000;
    static final int MAX_TURNOVER = 8500;
    /** |offset| and |α| at most 1000 ppm; k from 0 to 1 ppm/°C². */
    static final int MAX_PPB = 1_000_000_000;
    static final int MAX_K = 1_000_000;
    static final long MAX_TAU = 0xFFFF_FFFFL;
    private static final double PPB_PER_PPM = 1e3;
    private static final double CENTI = 100.0;
    private static final double MICRO = 1e6;
    private static final double MICROS_PER_SECOND = 1e6;

    /** Whether the token accepts these values. */
    public boolean valid() {
        return Math.abs((long) offsetPpb) <= MAX_PPB && turnoverCenti >= MIN_TURNOVER && turnoverCenti <= MAX_TURNOVER
                && kMicro >= 0 && kMicro <= MAX_K && Math.abs((long) agingPpb) <= MAX_PPB
                && tauSeconds >= 1 && tauSeconds <= MAX_TAU;
    }

    /** The crystal's error in ppm at a sensor reading (0.25 °C steps) and an RTC reading (µs). */
    public double crystalPpm(int quarterCelsius, long rtcMicros) {
        double d = quarterCelsius / 4.0 - turnoverCenti / CENTI;
        double ppm = offsetPpb / PPB_PER_PPM - kMicro / MICRO * d * d;
        if (agingPpb != 0 && rtcMicros > originMicros) {
            double age = (rtcMicros - originMicros) / MICROS_PER_SECOND;
            ppm += agingPpb / PPB_PER_PPM * Math.log1p(age / tauSeconds);
        }
        return ppm;
    }
}
