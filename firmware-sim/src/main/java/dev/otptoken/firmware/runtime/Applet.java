package dev.otptoken.firmware.runtime;

/**
 * A Java Card–style applet: installed once in a {@link CardRuntime}, selected by AID,
 * handed one APDU at a time in a preallocated {@link Apdu}.
 */
public interface Applet {

    /**
     * Called when a SELECT on interface {@code iface} ({@link CardRuntime#CONTACT} or
     * {@link CardRuntime#CONTACTLESS}) names this applet; {@code false} refuses it (6A82).
     */
    boolean select(int iface);

    /** Called when another AID is selected on {@code iface} or its selection is cleared. */
    void deselect(int iface);

    /**
     * Processes one command (the SELECT that chose this applet included, see
     * {@link Apdu#isSelecting()}). Refusals are thrown as {@link StatusWordException}.
     */
    void process(Apdu apdu);

    /**
     * Warm reset or power event on {@code iface}: forget the transient (RAM-only) state of
     * that interface. Each interface of a dual-interface chip has its own selection and
     * transient state ({@link Apdu#interfaceIndex()} says which one a command came from).
     */
    void resetTransient(int iface);
}
