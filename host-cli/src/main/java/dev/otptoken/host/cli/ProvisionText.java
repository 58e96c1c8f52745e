package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.provision.AccountState;
import dev.otptoken.host.provision.ProvisionStop;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.provision.TokenReport;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.text.TerminalText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The lines a provisioning prints (docs/otptoken-cli.md, provision), for {@code provision} and {@code demo}. */
final class ProvisionText {
    /** Standard error, once, when there is no {@code --backup}. */
    static final String NO_BACKUP = "otptoken: warning: no --backup token: these secrets will exist only in this token"
            + " (none is kept on the host)";

    private ProvisionText() {
    }

    /** Standard error: a QR code (or {@code --uri}) held a migration batch. */
    static String migration(Optional<Path> image, MigrationBatch batch) {
        return "otptoken: " + image.map(Path::toString).orElse("--uri") + ": " + CredentialText.describe(batch);
    }

    /**
     * Standard error: the input holds only some of the QR codes of a Google Authenticator
     * export ({@code otptoken: warning: QR code 2 of 2 of a Google Authenticator export is not in
     * the input: provision it too if its accounts are not on the token yet}).
     */
    static String incomplete(MigrationBatch.Incomplete export) {
        List<Integer> missing = export.missing();
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < missing.size(); i++) {
            numbers.append(i == 0 ? "" : i == missing.size() - 1 ? " and " : ", ").append(missing.get(i));
        }
        boolean one = missing.size() == 1;
        return "otptoken: warning: QR code" + (one ? " " : "s ") + numbers + " of " + export.batchSize()
                + " of a Google Authenticator export " + (one ? "is" : "are") + " not in the input: provision "
                + (one ? "it" : "them") + " too if " + (one ? "its" : "their") + " accounts are not on the token yet";
    }

    /** Standard error: what an export file (or a text file of URIs) holds, and what of it is skipped and why. */
    static String export(OtpInput.Export export) {
        StringBuilder sb = new StringBuilder("otptoken: ").append(TerminalText.escape(export.file())).append(": ")
                .append(export.format()).append(": ").append(Provisioner.accounts(export.credentials().size()));
        return sb.append(CredentialText.skipped(export.skipped())).toString();
    }

    /** Standard error: a touch account waits for a press to be proven. */
    static String touch(TokenAddress token, String account) {
        return "otptoken: touch the token at " + token.label() + " to prove " + TerminalText.escape(account) + " ...";
    }

    /** One token's line: what is in and proven, written but not proven, unknown, not written. */
    static String summary(TokenReport report) {
        List<String> proven = escaped(report.names(AccountState.PROVEN));
        List<String> written = escaped(report.names(AccountState.WRITTEN));
        List<String> unknown = escaped(report.names(AccountState.UNKNOWN));
        List<String> absent = escaped(report.names(AccountState.ABSENT));
        StringBuilder sb = new StringBuilder(report.token().label()).append(": ");
        sb.append(proven.size()).append(" of ").append(report.names().size()).append(" accounts in and proven");
        if (!proven.isEmpty()) {
            sb.append(" (").append(String.join(", ", proven)).append(')');
        }
        if (!written.isEmpty()) {
            sb.append("; written, NOT proven: ").append(String.join(", ", written));
        }
        if (!unknown.isEmpty()) {
            sb.append("; unknown (the token did not answer): ").append(String.join(", ", unknown))
                    .append(" — check with 'otptoken list'");
        }
        if (!absent.isEmpty()) {
            sb.append("; not written: ").append(String.join(", ", absent));
        }
        return sb.toString();
    }

    /** Standard error when writing stopped: every token's line, the failed one with where and why. */
    static List<String> stopped(ProvisionStop stop) {
        List<String> lines = new ArrayList<>();
        lines.add("otptoken: provisioning stopped at " + stop.stoppedAt().label() + "; what each token holds now:");
        for (TokenReport r : stop.tokens()) {
            String line = summary(r);
            if (r.token().equals(stop.stoppedAt()) && stop.failure().isPresent()) {
                ProvisionStop.Failure f = stop.failure().get();
                line += "; failed at " + TerminalText.escape(f.account()) + ": " + Failures.reason(f.cause());
            }
            lines.add("otptoken:   " + line);
        }
        return lines;
    }

    private static List<String> escaped(List<String> names) {
        return names.stream().map(TerminalText::escape).toList();
    }
}
