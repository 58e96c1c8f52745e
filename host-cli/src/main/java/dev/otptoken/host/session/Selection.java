package dev.otptoken.host.session;

/**
 * What SELECT told us about the OATH applet.
 *
 * @param version the applet version, {@code major.minor.patch}
 * @param locked whether an access code is set (SELECT carried a challenge)
 */
public record Selection(String version, boolean locked) {
}
