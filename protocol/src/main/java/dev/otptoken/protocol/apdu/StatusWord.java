package dev.otptoken.protocol.apdu;

/**
 * The ISO 7816-4 status words this project uses, defined once for the token and the host.
 *
 * <p>Status words are plain {@code int}s (0x0000–0xFFFF) so that the card runtime can use
 * them without allocation; {@link #describe(int)} names them for messages.
 */
public final class StatusWord {
    /** Normal processing. */
    public static final int OK = 0x9000;
    /** SW1 of "more data available": SW2 says how many bytes (00 = 256 or more). */
    public static final int SW1_MORE_DATA = 0x61;
    /**
     * Memory failure: a persistent write failed (ISO 7816-4 "65 81"); the command was not
     * carried out, or its last write was undone.
     */
    public static final int MEMORY_FAILURE = 0x6581;
    /** Wrong length (Lc/Le inconsistent with the command). */
    public static final int WRONG_LENGTH = 0x6700;
    /** Security status not satisfied (OATH applet locked by its password). */
    public static final int SECURITY_STATUS_NOT_SATISFIED = 0x6982;
    /** Authentication method blocked (too many wrong passwords; wait). */
    public static final int AUTH_METHOD_BLOCKED = 0x6983;
    /** Reference data not usable: unknown name, wrong response. */
    public static final int REFERENCE_DATA_NOT_USABLE = 0x6984;
    /** Conditions of use not satisfied (clock would move backwards, touch timed out). */
    public static final int CONDITIONS_NOT_SATISFIED = 0x6985;
    /** Wrong data in the command field. */
    public static final int WRONG_DATA = 0x6A80;
    /** File or application not found (unknown AID). */
    public static final int FILE_NOT_FOUND = 0x6A82;
    /** Not enough memory space. */
    public static final int NOT_ENOUGH_MEMORY = 0x6A84;
    /** Incorrect parameters P1-P2. */
    public static final int INCORRECT_P1P2 = 0x6A86;
    /** Wrong parameters P1-P2 (older form). */
    public static final int WRONG_P1P2 = 0x6B00;
    /** Instruction not supported. */
    public static final int INS_NOT_SUPPORTED = 0x6D00;
    /** Class not supported. */
    public static final int CLA_NOT_SUPPORTED = 0x6E00;
    /** No precise diagnosis: an unexpected failure inside the card. */
    public static final int UNKNOWN = 0x6F00;

    private StatusWord() {
    }

    /** Is this a "61xx more data" status word? */
    public static boolean isMoreData(int sw) {
        return (sw >>> 8) == SW1_MORE_DATA;
    }

    /** A short human-readable name such as {@code "6A84 (not enough memory)"}. */
    public static String describe(int sw) {
        String hex = String.format(java.util.Locale.ROOT, "%04X", sw & 0xFFFF);
        String name = switch (sw & 0xFFFF) {
            case OK -> "success";
            case MEMORY_FAILURE -> "memory failure";
            case WRONG_LENGTH -> "wrong length";
            case SECURITY_STATUS_NOT_SATISFIED -> "security status not satisfied";
            case AUTH_METHOD_BLOCKED -> "authentication blocked";
            case REFERENCE_DATA_NOT_USABLE -> "no such account or wrong response";
            case CONDITIONS_NOT_SATISFIED -> "conditions of use not satisfied";
            case WRONG_DATA -> "wrong data";
            case FILE_NOT_FOUND -> "application not found";
            case NOT_ENOUGH_MEMORY -> "not enough memory";
            case INCORRECT_P1P2, WRONG_P1P2 -> "wrong parameters P1/P2";
            case INS_NOT_SUPPORTED -> "instruction not supported";
            case CLA_NOT_SUPPORTED -> "class not supported";
            case UNKNOWN -> "card error";
            default -> isMoreData(sw) ? "more data available" : "unknown status";
        };
        return hex + " (" + name + ")";
    }
}
