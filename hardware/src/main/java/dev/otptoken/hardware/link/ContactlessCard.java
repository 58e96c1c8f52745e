package dev.otptoken.hardware.link;

/**
 * What a contactless reader sees of the token: an ATR, power events and APDUs. The vpcd
 * link drives it; the firmware implements it on top of its card runtime.
 */
public interface ContactlessCard {

    /** The answer-to-reset the reader reports for the card. */
    byte[] atr();

    /** The field came up: the card is powered (volatile state starts fresh). */
    void powerOn();

    /** The field went away: volatile state is lost. */
    void powerOff();

    /** A warm reset from the reader. */
    void reset();

    /** Processes one command APDU and returns the response APDU (data and status word). */
    byte[] transmit(byte[] command);
}
