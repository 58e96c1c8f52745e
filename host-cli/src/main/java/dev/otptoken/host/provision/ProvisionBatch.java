package dev.otptoken.host.provision;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.OtpInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.security.auth.Destroyable;

/**
 * The decoded and validated input of one provisioning: every account, each with its name as
 * {@code list} will show it, no name twice. It owns the credentials' keys: {@link #close()}
 * wipes them, and {@code toString} shows counts only.
 */
public final class ProvisionBatch implements AutoCloseable, Destroyable {
    private final List<OtpInput> inputs;
    private final List<OtpCredential> credentials;
    private final List<String> names;

    ProvisionBatch(List<OtpInput> inputs, List<OtpCredential> credentials, List<String> names) {
        this.inputs = List.copyOf(inputs);
        this.credentials = List.copyOf(credentials);
        this.names = List.copyOf(names);
    }

    /** What each QR code (or the URI) held, in order. */
    public List<OtpInput> inputs() {
        return inputs;
    }

    /** The accounts to write, in order. */
    public List<OtpCredential> credentials() {
        return credentials;
    }

    /** Each account's name as {@code list} shows it (issuer:account), in the same order. */
    public List<String> names() {
        return names;
    }

    /**
     * The Google Authenticator exports of which the input holds only some QR codes: the codes of
     * images, URIs and text files of URIs count together.
     */
    public List<MigrationBatch.Incomplete> incompleteExports() {
        List<MigrationBatch.Code> codes = new ArrayList<>();
        for (OtpInput input : inputs) {
            codes.addAll(input.migrationCodes());
        }
        return MigrationBatch.incomplete(codes);
    }

    /** Wipes every key. */
    @Override
    public void close() {
        destroy();
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
        return String.format(Locale.ROOT, "ProvisionBatch[%d codes, %d accounts]", inputs.size(), credentials.size());
    }
}
