package dev.otptoken.host.otpauth;

import java.util.List;
import java.util.Locale;
import javax.security.auth.Destroyable;

/**
 * One {@code otpauth-migration} QR code: Google Authenticator splits a large export into
 * several codes, numbered {@code batchIndex} of {@code batchSize} and tied by {@code batchId},
 * so the CLI can tell the user whether a code of the set is missing.
 *
 * <p>A record for its shape, but it carries credentials (which own keys): {@code toString}
 * shows counts only, and {@link #destroy()} wipes every key.
 */
public record MigrationBatch(List<OtpCredential> accepted, List<Skipped> skipped, int batchIndex,
        int batchSize, int batchId) implements Destroyable {

    public MigrationBatch {
        accepted = List.copyOf(accepted);
        skipped = List.copyOf(skipped);
    }

    @Override
    public void destroy() {
        accepted.forEach(OtpCredential::destroy);
    }

    @Override
    public boolean isDestroyed() {
        return accepted.stream().allMatch(OtpCredential::isDestroyed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MigrationBatch[%d accepted, %d skipped, batch %d of %d, id %d]",
                accepted.size(), skipped.size(), batchIndex + 1, batchSize, batchId);
    }
}
