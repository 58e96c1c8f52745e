package dev.otptoken.hardware.memory;

/**
 * Thrown by the memory at the moment the simulated power is cut (after the configured
 * write). It is an {@link Error} on purpose: like a real power loss it is never caught and
 * handled by firmware; it unwinds to the simulator, which stops as a dead chip would.
 */
public final class PowerLossError extends Error {
    private static final long serialVersionUID = 1L;

    public PowerLossError(String message) {
        super(message);
    }
}
