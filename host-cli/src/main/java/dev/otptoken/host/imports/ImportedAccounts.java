package dev.otptoken.host.imports;

import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.InvalidBase32Exception;
import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.host.otpauth.SteamAccount;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects the accounts of one export file: each entry becomes a credential the token can
 * store, or a {@link Skipped} with the reason it cannot (docs/imports.md, "What is skipped").
 * The one place where the export formats' types, algorithms, digits, periods and counters
 * meet the token's limits. If reading stops, {@link #discard()} wipes what was collected.
 */
public final class ImportedAccounts {
    /** Most entries one file may hold (a token holds at most 64). */
    public static final int MAX_ENTRIES = 10_000;

    private final String format;
    private final List<OtpCredential> credentials = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<MigrationBatch.Code> migrationCodes = new ArrayList<>();

    public ImportedAccounts(String format) {
        this.format = format;
    }

    /** The kinds of account the formats know. */
    public enum Kind {
        TOTP, HOTP, STEAM;

        /** {@code totp}, {@code hotp} or {@code steam} in any case; null for any other type (Yandex, mOTP). */
        public static Kind of(String type) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(type)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Reads one entry of an export into the accounts. */
    @FunctionalInterface
    public interface EntryReader<T> {
        void read(T entry, ImportedAccounts into) throws ImportException;
    }

    /**
     * Every entry read by {@code reader} into the accounts of one file; if reading stops, the
     * keys already collected are wiped.
     */
    public static <T> Imported collect(String format, Iterable<T> entries, EntryReader<T> reader)
            throws ImportException {
        ImportedAccounts accounts = new ImportedAccounts(format);
        boolean done = false;
        try {
            for (T e : entries) {
                reader.read(e, accounts);
            }
            done = true;
            return accounts.result();
        } finally {
            if (!done) {
                accounts.discard();
            }
        }
    }

    /**
     * One entry of the export. The secret (Base32, as every format here stores it) is decoded
     * here and its bytes owned by the credential; its text is never shown.
     *
     * @param type      the format's type name (for the skip reason when {@code kind} is null)
     * @param kind      TOTP, HOTP or Steam; null for a type the token cannot compute (Yandex, mOTP)
     * @param algorithm the algorithm name as the file gives it ("SHA1", "sha-256", "MD5")
     * @param period    seconds, TOTP only
     * @param counter   HOTP only
     */
    public void add(String type, Kind kind, String issuer, String account, String algorithm, long digits, long period,
                    long counter, String secret) throws ImportException {
        if (credentials.size() + skipped.size() >= MAX_ENTRIES) {
            throw new ImportException(format + ": more than " + MAX_ENTRIES + " entries");
        }
        String iss = issuer == null ? "" : issuer.strip();
        String acc = account == null ? "" : account.strip();
        if (acc.isEmpty()) { // "GitHub" with no account name: stored as the account, as a user reads it
            acc = iss;
            iss = "";
        }
        String shown = iss.isEmpty() ? (acc.isEmpty() ? "(unnamed)" : acc) : iss + ":" + acc;
        String reason = refusal(type, kind, algorithm, digits, period, counter);
        if (reason == null && acc.isEmpty()) {
            reason = "no name";
        }
        if (reason != null) {
            skipped.add(new Skipped(shown, reason));
            return;
        }
        byte[] key;
        try {
            key = Base32.decode(secret == null ? "" : secret);
        } catch (InvalidBase32Exception e) {
            skipped.add(new Skipped(shown, "secret is not valid Base32"));
            return;
        }
        if (key.length == 0) {
            skipped.add(new Skipped(shown, "empty secret"));
            return;
        }
        SecretBytes bytes = SecretBytes.wrap(key);
        try {
            credentials.add(kind == Kind.STEAM ? SteamAccount.credential(iss, acc, bytes)
                    : new OtpCredential(kind == Kind.HOTP ? OathType.HOTP : OathType.TOTP, iss.isEmpty() ? null : iss,
                            acc, algorithm(algorithm), (int) digits, kind == Kind.TOTP ? (int) period : Oath.DEFAULT_PERIOD,
                            kind == Kind.HOTP ? counter : 0, bytes));
        } catch (InvalidNameException | IllegalArgumentException e) {
            bytes.destroy();
            skipped.add(new Skipped(shown, e.getMessage()));
        }
    }

    /** Records an entry that cannot be read at all (no secret, a wrong type of field), with the reason. */
    public void skip(String name, String reason) throws ImportException {
        if (credentials.size() + skipped.size() >= MAX_ENTRIES) {
            throw new ImportException(format + ": more than " + MAX_ENTRIES + " entries");
        }
        skipped.add(new Skipped(name, reason));
    }

    /** Adds what an otpauth URI or migration batch gave (the text reader). */
    public void addAll(List<OtpCredential> parsed, List<Skipped> refused) throws ImportException {
        if (credentials.size() + skipped.size() + parsed.size() + refused.size() > MAX_ENTRIES) {
            parsed.forEach(OtpCredential::destroy);
            throw new ImportException(format + ": more than " + MAX_ENTRIES + " entries");
        }
        credentials.addAll(parsed);
        skipped.addAll(refused);
    }

    /** Records where a Google Authenticator QR code among the lines stands in its export (the text reader). */
    public void addMigrationCode(MigrationBatch.Code code) {
        migrationCodes.add(code);
    }

    /** Why the token cannot take such an entry, or null when it can. */
    private static String refusal(String type, Kind kind, String algorithm, long digits, long period, long counter) {
        if (kind == null) {
            return "type " + type + " not supported by the token";
        }
        if (kind == Kind.STEAM) {
            return null; // always SHA-1, 30 s, 5 characters: stored as SteamAccount says
        }
        if (algorithm(algorithm) == null) {
            return algorithm.strip().toUpperCase(Locale.ROOT) + " not supported by the token";
        }
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            return digits + " digits not supported by the token (" + Oath.MIN_DIGITS + " to " + Oath.MAX_DIGITS + ")";
        }
        if (kind == Kind.TOTP && (period < 1 || period > Oath.MAX_PERIOD)) {
            return "period " + period + " s not supported by the token (1 to " + Oath.MAX_PERIOD + ")";
        }
        if (kind == Kind.HOTP && (counter < 0 || counter > OtpCredential.MAX_COUNTER)) {
            return "counter " + counter + " not supported by the token (0 to " + OtpCredential.MAX_COUNTER + ")";
        }
        return null;
    }

    /** SHA1, SHA256 or SHA512 (case and a dash ignored); null for anything else. */
    private static HashAlgorithm algorithm(String name) {
        String n = name == null ? "SHA1" : name.strip().toUpperCase(Locale.ROOT).replace("-", "");
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (a.name().equals(n)) {
                return a;
            }
        }
        return null;
    }

    /** What was collected; the credentials pass to the result. */
    public Imported result() {
        return new Imported(format, credentials, skipped, migrationCodes);
    }

    /** Wipes every key collected (reading stopped). */
    public void discard() {
        credentials.forEach(OtpCredential::destroy);
        credentials.clear();
    }
}
