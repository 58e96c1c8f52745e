package dev.otptoken.host.otpauth;

/**
 * An account of a migration export that was not accepted, so that the user learns which
 * one and why instead of silently getting fewer accounts.
 *
 * @param name the account's name as the export gives it (not a secret)
 * @param reason one line, e.g. "unsupported algorithm MD5"
 */
public record Skipped(String name, String reason) {
}
