package dev.otptoken.firmware.runtime;

/**
 * A Java Card–style applet: installed once in a {@link CardRuntime}, selected by AID,
 * handed one APDU at a time in a preallocated {@link Apdu}.
 */
public interface Applet {

    /** Called when a SELECT names this applet; {@code false} refuses the selection (6A82). */
    boolean select();

    /** Called when another AID is selected or the selection is cleared. */
    void deselect();

    /**
     * Processes one command (the SELECT that chose this applet included, see
     * {@link Apdu#isSelecting()}). Refusals are thrown as {@link StatusWordException}.
     */
    void process(Apdu apdu);

    /** Warm reset or power event: forget every transient (RAM-only) state. */
    void resetTransient();
}
