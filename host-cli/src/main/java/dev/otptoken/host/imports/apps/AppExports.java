package dev.otptoken.host.imports.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.host.imports.ExportJson;
import dev.otptoken.host.imports.ExportSize;
import dev.otptoken.host.imports.ExportText;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.imports.ImportedAccounts;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.host.otpauth.SteamAccount;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.text.TerminalText;
import java.util.Set;

/**
 * What the readers of authenticator apps' exports share (docs/imports.md): bounded JSON, strict
 * UTF-8 text, and turning one entry (an otpauth URI, a {@code steam://} secret, or separate
 * fields) into a credential or a {@link Skipped} with its reason, so one bad entry never stops
 * the others. Every message names the entry, never its secret.
 */
final class AppExports {
    /** Digits when an entry gives none, as in otpauth URIs (Bitwarden's bare secrets, Authenticator Pro). */
    static final int DEFAULT_DIGITS = 6;
    /** Bitwarden and Proton write a Steam Guard secret as {@code steam://BASE32}. */
    static final String STEAM_SCHEME = "steam://";
    private static final int STEAM_PREFIX_LENGTH = STEAM_SCHEME.length();
    private AppExports() {
    }

    /** The file as one JSON value, under the bounds of {@link ExportJson}; the messages never quote the file. */
    static JsonNode readJson(byte[] content, String format) throws ImportException {
        ExportSize.check(content, format);
        return ExportJson.parse(content, format);
    }

    /**
     * The names of the top-level object's members, read as a stream that skips their values, or
     * an empty set when {@code content} is no JSON object (never throws).
     */
    static Set<String> topLevelNames(byte[] content) {
        if (content.length > ExportSize.MAX_BYTES) {
            return Set.of();
        }
        ExportJson.Shape shape = ExportJson.shape(content);
        return shape != null && shape.object() ? shape.names() : Set.of();
    }

    /** The file as UTF-8 text ({@link ExportText#utf8}). */
    static String text(byte[] content, String format) throws ImportException {
        return ExportText.utf8(content, format);
    }

    /** The array member {@code field} of {@code node}; refused when missing, not an array, or too long. */
    static JsonNode array(JsonNode node, String field, String format) throws ImportException {
        JsonNode a = node.get(field);
        if (a == null || !a.isArray()) {
            throw new ImportException(format + ": no \"" + field + "\" list");
        }
        if (a.size() > ImportedAccounts.MAX_ENTRIES) {
            throw new ImportException(format + ": " + a.size() + " entries; at most " + ImportedAccounts.MAX_ENTRIES + " are accepted");
        }
        return a;
    }

    /** The text member {@code field}, or null when absent or JSON null; numbers and booleans as their text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        return v.asText();
    }

    /** The integer member {@code field}, {@code fallback} when absent or null, or null when it is no integer. */
    static Long integer(JsonNode node, String field, long fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().strip().matches("[0-9]{1,18}")) {
            return Long.parseLong(v.asText().strip());
        }
        return null;
    }

    /** The name of an entry as messages show it: {@code issuer:account}, control characters escaped. */
    static String name(String issuer, String account) {
        String i = issuer == null ? "" : issuer.strip();
        String a = account == null ? "" : account.strip();
        String n = i.isEmpty() ? a : a.isEmpty() ? i : i + ":" + a;
        return TerminalText.escape(n.isEmpty() ? "(no name)" : n);
    }

    /** A short value from the file (a type name, a version) for a message, or "?" when it is long or odd. */
    static String echo(String value) {
        return value != null && value.matches("[A-Za-z0-9_.-]{1,16}") ? value : "?";
    }

    /**
     * Accounts gathered from one file: what can be written and what is skipped, with the reason.
     * The token's limits and the reasons are {@link ImportedAccounts}'s, as for every format; this
     * adds what these apps write: an otpauth URI or {@code steam://SECRET} in one field.
     */
    static final class Entries {
        private final ImportedAccounts accounts;

        Entries(String format) {
            accounts = new ImportedAccounts(format);
        }

        void skip(String name, String reason) throws ImportException {
            accounts.skip(name, reason);
        }

        /** Wipes every key gathered so far (when the file is refused after all). */
        void destroy() {
            accounts.discard();
        }

        /** What was gathered; the credentials pass to the result. */
        Imported result() {
            return accounts.result();
        }

        /**
         * An otpauth or otpauth-migration URI, or Bitwarden's and Proton's {@code steam://SECRET}.
         *
         * @param issuer  for a {@code steam://} secret and for the skip message (may be null)
         * @param account likewise
         */
        void uri(String uri, String issuer, String account) throws ImportException {
            String u = uri == null ? "" : uri.strip();
            if (u.regionMatches(true, 0, STEAM_SCHEME, 0, STEAM_PREFIX_LENGTH)) {
                steam(issuer, account, u.substring(STEAM_PREFIX_LENGTH));
                return;
            }
            if (!OtpInput.isOtpauth(u)) {
                skip(name(issuer, account), "not an otpauth URI");
                return;
            }
            try {
                OtpInput input = OtpInput.parse(u);
                accounts.addAll(input.credentials(), input.skipped());
            } catch (InvalidUriException e) {
                skip(name(issuer, account), e.getMessage());
            }
        }

        /** A Steam Guard account from its Base32 secret, stored as {@link SteamAccount} says. */
        void steam(String issuer, String account, String base32) throws ImportException {
            accounts.add("steam", ImportedAccounts.Kind.STEAM, issuer, account, "SHA1", SteamAccount.STORED_DIGITS,
                    SteamAccount.PERIOD, 0, base32);
        }

        /**
         * An account given field by field. Values out of the token's range skip the account
         * with the reason instead of refusing the file.
         */
        void fields(OathType type, String issuer, String account, HashAlgorithm algorithm, long digits, long period,
                    long counter, String base32) throws ImportException {
            accounts.add(type.name(), type == OathType.HOTP ? ImportedAccounts.Kind.HOTP : ImportedAccounts.Kind.TOTP,
                    issuer, account, algorithm.name(), digits, period, counter, base32 == null ? null : base32.strip());
        }
    }
}
