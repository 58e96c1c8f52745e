package dev.otptoken.host.provision;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.session.TokenAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a provisioning tells as it goes, for a command to show. */
public interface ProvisionListener {
    /**
     * A QR code (or the URI) held a Google Authenticator export batch, told as it is decoded.
     *
     * @param image the image the code was in; empty for a URI
     */
    void migrationBatch(Optional<Path> image, MigrationBatch batch);

    /**
     * The input holds some of the codes of a Google Authenticator export, not all: the
     * accounts of the others are not written now. Told once every token is checked, before
     * {@link #writing}, so that a refused input or token gets its refusal alone.
     */
    default void incompleteExport(MigrationBatch.Incomplete export) {
    }

    /**
     * An export file (or a text file of URIs) was read, told once every file is read and
     * validated (so that refused input gives one line): what it holds and what of it cannot
     * be stored, with the reasons.
     */
    default void exportRead(OtpInput.Export export) {
    }

    /**
     * Every token is open, unlocked and checked (no name taken, room for every account):
     * writing begins, on {@code tokens} in order, the first of them the primary.
     */
    default void writing(List<TokenAddress> tokens) {
    }

    /** The account was written with touch required: proving it waits for a press on that token. */
    void touchToProve(TokenAddress token, String account);

    /** Every account is in and proven on this token; the next token follows. */
    void tokenDone(TokenReport report);

    /** Writing stopped; told before the exception that stopped it is thrown on. */
    void stopped(ProvisionStop stop);
}
