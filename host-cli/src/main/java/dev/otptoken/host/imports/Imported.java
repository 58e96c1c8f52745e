package dev.otptoken.host.imports;

import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import java.util.List;
import javax.security.auth.Destroyable;

/**
 * What one export file gave: the accounts ready to write (each owning its key) and those that
 * cannot be stored on a token, each with its reason ({@code MD5 not supported by the token}).
 */
public record Imported(String format, List<OtpCredential> credentials, List<Skipped> skipped) implements Destroyable {
    public Imported {
        credentials = List.copyOf(credentials);
        skipped = List.copyOf(skipped);
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
