package dev.otptoken.firmware.device;

/** What GET INFO reports about the OATH applet's storage. */
public interface CapacityReport {
    int accountsUsed();

    /** Accounts of maximum size that fit in a fresh memory. */
    int accountsCapacity();

    long bytesUsed();

    long bytesTotal();
}
