package dev.otptoken.host.session;

/**
 * GET INFO of the device applet.
 *
 * @param features bit set of {@code Device.FEATURE_*}
 */
public record DeviceInfo(long serial, String firmwareVersion, long memoryUsed, long memoryTotal,
                         int accountsUsed, int accountsCapacity, int features) {
}
