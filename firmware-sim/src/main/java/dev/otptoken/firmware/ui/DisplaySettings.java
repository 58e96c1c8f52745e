package dev.otptoken.firmware.ui;

/**
 * The persistent display settings the device applet keeps (GET/SET DISPLAY): which account
 * a short press shows and how long the display stays on.
 */
public interface DisplaySettings {

    /** Display timeout meaning "until the period of the shown code ends". */
    int UNTIL_PERIOD_END = 0;

    /** Index of the account a press shows (may exceed the account count after a DELETE). */
    int selectedAccount();

    /** Persistently selects the account a press shows (a long press). */
    void selectAccount(int index);

    /** Seconds the display stays on after a press, or {@link #UNTIL_PERIOD_END}. */
    int timeoutSeconds();
}
