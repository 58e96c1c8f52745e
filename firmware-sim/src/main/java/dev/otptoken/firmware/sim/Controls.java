package dev.otptoken.firmware.sim;

/** What the user can do to a running token, from the face or from headless commands. */
interface Controls {
    void press();

    void longPress();

    /** The crystal's temperature from now on, °C (a constant; it ends a --temperature-profile). */
    void temperature(double celsius);

    /** One line describing the token (no secrets), for the {@code status} command. */
    String status();

    /** Stops the token normally (exit status 0). */
    void quit();
}
