package dev.otptoken.hardware.clock;

/**
 * The digital trim register of a real RTC chip: a signed value in steps of
 * {@code stepPpm} parts per million, from {@code min} to {@code max}. A positive value
 * makes the clock run faster.
 *
 * @param name    the chip and register it is modelled on
 * @param stepPpm one step, in parts per million of the crystal frequency
 * @param min     the lowest register value
 * @param max     the highest register value
 */
public record TrimRegister(String name, double stepPpm, int min, int max) {

    /**
     * STM32 RTC smooth calibration (RTC_CALR): CALM masks 0–511 pulses and CALP adds 512
     * in every 2^20 cycles of the 32.768 kHz clock, so the net correction is
     * {@code CALP*512 - CALM} pulses per 2^20: −511…+512 steps of 2^-20 ≈ 0.9537 ppm.
     */
    public static final TrimRegister STM32_CALR =
            new TrimRegister("STM32 RTC CALR smooth calibration", 1e6 / (1 << 20), -511, 512);

    /** The rate correction of {@code steps}, in ppm. */
    public double ppm(int steps) {
        return steps * stepPpm;
    }

    /** The register value nearest to a correction of {@code ppm}, clamped to the range. */
    public int stepsFor(double ppm) {
        long s = Math.round(ppm / stepPpm);
        return (int) Math.max(min, Math.min(max, s));
    }
}
