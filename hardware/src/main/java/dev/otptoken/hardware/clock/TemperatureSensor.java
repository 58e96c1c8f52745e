package dev.otptoken.hardware.clock;

/**
 * The digital temperature sensor beside the crystal (docs/hardware.md, "Temperature sensor"):
 * it reads the crystal's temperature in steps of {@link #RESOLUTION_CELSIUS} (0.25 °C, as the
 * DS3231's and the TMP102's registers do), with an error fixed per device: the offset its
 * factory calibration left, within ±{@link #MAX_OFFSET_CELSIUS}. It sits on the crystal's
 * profile, so it sees the same temperature the crystal runs at; only its offset and its
 * rounding differ from the truth.
 */
public final class TemperatureSensor {
    /** One step of the reading, °C. */
    public static final double RESOLUTION_CELSIUS = 0.25;
    /** Steps of the reading per °C. */
    public static final int STEPS_PER_CELSIUS = 4;
    /** The largest offset a device has, °C (a factory-trimmed digital sensor: ±0.5 typical, ±1 max). */
    public static final double MAX_OFFSET_CELSIUS = 1.0;

    private final TimeSource time;
    private final TemperatureProfile temperature;
    private final double offsetCelsius;

    /**
     * @param temperature   the crystal's true temperature over true time
     * @param offsetCelsius this device's fixed error, within ±{@link #MAX_OFFSET_CELSIUS}
     */
    public TemperatureSensor(TimeSource time, TemperatureProfile temperature, double offsetCelsius) {
        if (!(Math.abs(offsetCelsius) <= MAX_OFFSET_CELSIUS)) {
            throw new IllegalArgumentException("sensor offset must be within ±" + MAX_OFFSET_CELSIUS + " °C");
        }
        this.time = time;
        this.temperature = temperature;
        this.offsetCelsius = offsetCelsius;
    }

    /**
     * The offset of the device with this serial number: fixed for the device (the same at
     * every start), spread evenly over ±{@link #MAX_OFFSET_CELSIUS} across devices, in
     * steps of 0.01 °C.
     */
    public static double offsetForSerial(long serial) {
        long h = serial * 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 31;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 29;
        int hundredths = (int) Math.floorMod(h, 201L) - 100;
        return hundredths / 100.0 * MAX_OFFSET_CELSIUS;
    }

    public double offsetCelsius() {
        return offsetCelsius;
    }

    /** The reading now, in steps of 0.25 °C (signed). */
    public int readQuarterCelsius() {
        return readQuarterCelsiusAt(time.epochNanos());
    }

    /** The reading at true time {@code trueNanos}, in steps of 0.25 °C. */
    public int readQuarterCelsiusAt(long trueNanos) {
        return (int) Math.round((temperature.celsiusAt(trueNanos) + offsetCelsius) * STEPS_PER_CELSIUS);
    }
}
