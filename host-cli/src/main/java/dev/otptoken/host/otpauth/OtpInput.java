package dev.otptoken.host.otpauth;

import java.util.List;
import javax.security.auth.Destroyable;

/**
 * What a QR code (or {@code --uri}) gave: one otpauth account, or a batch of a Google
 * Authenticator export; or what an export file gave (docs/imports.md). {@code provision} writes {@link #credentials()} and reports
 * {@link #skipped()}; {@code qr decode} shows both.
 */
public sealed interface OtpInput extends Destroyable permits OtpInput.Single, OtpInput.Migration, OtpInput.Export {

    /** Accounts ready to write, each owning its key. */
    List<OtpCredential> credentials();

    /** Accounts that cannot be written, with the reason. */
    List<Skipped> skipped();

    /** The places in their exports of the Google Authenticator QR codes this input holds. */
    default List<MigrationBatch.Code> migrationCodes() {
        return List.of();
    }

    @Override
    default void destroy() {
        credentials().forEach(OtpCredential::destroy);
    }

    @Override
    default boolean isDestroyed() {
        return credentials().stream().allMatch(OtpCredential::isDestroyed);
    }

    /** The message for text that is no otpauth URI of either kind. */
    String NOT_OTPAUTH = "not an otpauth URI: it begins neither with otpauth:// nor with otpauth-migration://";

    /**
     * Dispatches on the scheme (ignoring case and surrounding white space).
     *
     * @throws InvalidUriException {@value #NOT_OTPAUTH} for any other text,
     *     or the reason the URI is refused
     */
    static OtpInput parse(String text) throws InvalidUriException {
        String s = text == null ? "" : text.strip();
        if (UriText.afterPrefix(s, MigrationPayload.SCHEME) != null) {
            return new Migration(MigrationPayload.parse(s));
        }
        if (UriText.afterPrefix(s, OtpAuthUri.SCHEME) != null) {
            return new Single(OtpAuthUri.parse(s));
        }
        throw new InvalidUriException(NOT_OTPAUTH);
    }

    /** Whether {@code text} begins as an {@code otpauth://} or {@code otpauth-migration://} URI. */
    static boolean isOtpauth(String text) {
        String s = text == null ? "" : text.strip();
        return UriText.afterPrefix(s, MigrationPayload.SCHEME) != null || UriText.afterPrefix(s, OtpAuthUri.SCHEME) != null;
    }

    /** One {@code otpauth://} URI. */
    record Single(OtpCredential credential) implements OtpInput {
        @Override
        public List<OtpCredential> credentials() {
            return List.of(credential);
        }

        @Override
        public List<Skipped> skipped() {
            return List.of();
        }

        @Override
        public String toString() {
            return "Single[" + credential + "]";
        }
    }

    /** One {@code otpauth-migration://} QR code. */
    record Migration(MigrationBatch batch) implements OtpInput {
        @Override
        public List<OtpCredential> credentials() {
            return batch.accepted();
        }

        @Override
        public List<Skipped> skipped() {
            return batch.skipped();
        }

        @Override
        public List<MigrationBatch.Code> migrationCodes() {
            return List.of(batch.code());
        }

        @Override
        public String toString() {
            return "Migration[" + batch + "]";
        }
    }

    /**
     * The accounts of one export file (an authenticator app's export, a text file of URIs).
     *
     * @param file           the file as the user named it
     * @param format         the format's name ("Aegis vault")
     * @param migrationCodes the Google Authenticator QR codes among its lines (a text file of URIs)
     */
    record Export(String file, String format, List<OtpCredential> credentials, List<Skipped> skipped,
            List<MigrationBatch.Code> migrationCodes) implements OtpInput {
        public Export {
            credentials = List.copyOf(credentials);
            skipped = List.copyOf(skipped);
            migrationCodes = List.copyOf(migrationCodes);
        }

        @Override
        public String toString() {
            return "Export[" + format + ", " + credentials.size() + " accounts, " + skipped.size() + " skipped]";
        }
    }
}
