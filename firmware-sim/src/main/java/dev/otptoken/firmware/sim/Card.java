package dev.otptoken.firmware.sim;

/** The card as its interfaces (serial T=1, vpcd) see it: APDUs in, responses out, resets. */
interface Card {
    /** One command APDU to its response APDU (data and SW1 SW2). */
    byte[] transmit(byte[] command);

    /** A warm reset (T=1 RESYNCH, vpcd reset): transient state cleared. */
    void warmReset();

    /** Power off/on of the contactless field: transient state cleared. */
    void powerEvent();
}
