package dev.otptoken.host.imports;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import java.util.List;
import javax.security.auth.Destroyable;

/**
 * What one export file gave: the accounts ready to write (each owning its key) and those that
 * cannot be stored on a token, each with its reason ({@code MD5 not supported by the token}),
 * and where the Google Authenticator QR codes among its lines stand in their exports.
 */
public record Imported(String format, List<OtpCredential> credentials, List<Skipped> skipped,
        List<MigrationBatch.Code> migrationCodes) implements Destroyable {
    public Imported {
        credentials = List.copyOf(credentials);
        skipped = List.copyOf(skipped);
        migrationCodes = List.copyOf(migrationCodes);
    }

    /** An export without Google Authenticator QR codes in it (every format but a text file of URIs). */
    public Imported(String format, List<OtpCredential> credentials, List<Skipped> skipped) {
        this(format, credentials, skipped, List.of());
    }

    @Override
    public void destroy() {
        credentials.forEach(OtpCredential::destroy);
    }

    @Override
    public boolean isDestroyed() {
        return credentials.stream().allMatch(OtpCredential::isDestroyed);
    }

    @Override
    public String toString() {
        return "Imported[" + format + ", " + credentials.size() + " accounts, " + skipped.size() + " skipped]";
    }
}
