package dev.otptoken.host.provision;

/** Where one account of the input stands on one token. */
public enum AccountState {
    /** Not on the token: never sent, or the token answered that it did not write it. */
    ABSENT,
    /**
     * The PUT was sent and no answer came (the transport failed), and asking the token again
     * did not settle it: it may or may not hold the account.
     */
    UNKNOWN,
    /** On the token, but its code was not (yet) compared with the host's. */
    WRITTEN,
    /** On the token, and its code equals the host's for the same time step or counter. */
    PROVEN
}
