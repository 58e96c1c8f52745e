package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.host.session.Account;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.text.TerminalText;

/** How decoded input is shown ({@code qr decode}, {@code provision}, {@code demo}): never a secret. */
final class CredentialText {
    private CredentialText() {
    }

    /** A migration batch: its place in the export and what could not be taken. */
    static String describe(MigrationBatch b) {
        StringBuilder sb = new StringBuilder("migration batch ").append(b.batchIndex() + 1).append(" of ")
                .append(b.batchSize()).append(": ").append(b.accepted().size()).append(" accounts");
        if (!b.skipped().isEmpty()) {
            sb.append(", skipped ").append(b.skipped().size()).append(':');
            for (Skipped s : b.skipped()) {
                sb.append(' ').append(TerminalText.escape(s.name())).append(" (").append(TerminalText.escape(s.reason()))
                        .append(')');
            }
        }
        return sb.toString();
    }

    /** One account, secret masked: only its length is shown. */
    static String describe(OtpCredential c) {
        StringBuilder sb = new StringBuilder(TerminalText.escape(Account.displayName(c.name())));
        sb.append("  ").append(c.type()).append("  ").append(c.algorithm()).append("  ").append(c.digits())
                .append(" digits  ");
        sb.append(c.type() == OathType.TOTP ? c.period() + " s" : "counter " + c.counter());
        sb.append("  secret ******** (").append(c.secret().length()).append(" bytes)");
        return sb.toString();
    }
}
