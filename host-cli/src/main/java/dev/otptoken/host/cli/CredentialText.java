package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.host.otpauth.SteamAccount;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.session.Account;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.text.TerminalText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How decoded input is shown ({@code qr decode}, {@code provision}, {@code demo}): never a secret. */
final class CredentialText {
    private CredentialText() {
    }

    /** A migration batch: its place in the export and what could not be taken. */
    static String describe(MigrationBatch b) {
        StringBuilder sb = new StringBuilder("migration batch ").append(b.batchIndex() + 1).append(" of ")
                .append(b.batchSize()).append(": ").append(Provisioner.accounts(b.accepted().size()));
        return sb.append(skipped(b.skipped())).toString();
    }

    /** {@code ", skipped N: NAME (REASON) ..."}, or nothing when none was skipped. */
    static String skipped(List<Skipped> skipped) {
        StringBuilder sb = new StringBuilder();
        if (!skipped.isEmpty()) {
            sb.append(", skipped ").append(skipped.size()).append(':');
            String separator = " ";
            for (Skipped s : skipped) {
                sb.append(separator).append(TerminalText.escape(s.name())).append(" (")
                        .append(TerminalText.escape(s.reason())).append(')');
                separator = "; ";
            }
        }
        return sb.toString();
    }

    /** One account, secret masked: only its length is shown. */
    static String describe(OtpCredential c) {
        StringBuilder sb = new StringBuilder(TerminalText.escape(Account.displayName(c.name())));
        sb.append("  ").append(c.type()).append("  ").append(c.algorithm()).append("  ");
        sb.append(isSteam(c) ? "Steam code" : c.digits() + " digits").append("  ");
        sb.append(c.type() == OathType.TOTP ? c.period() + " s" : "counter " + c.counter());
        sb.append("  secret ******** (").append(c.secret().length()).append(" bytes)");
        return sb.toString();
    }

    /** A Steam account: its codes are five Steam characters, not its stored digits (docs/imports.md, "Steam"). */
    private static boolean isSteam(OtpCredential c) {
        return SteamAccount.isSteam(c.type(), c.issuer());
    }

    /** {@link #describe(OtpCredential)} for {@code --json}: the parameters, and of the secret its length alone. */
    static Map<String, Object> toJson(OtpCredential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", Account.displayName(c.name()));
        m.put("issuer", c.issuer());
        m.put("account", c.account());
        m.put("type", c.type().name());
        m.put("algorithm", c.algorithm().name());
        m.put("digits", c.digits());
        if (isSteam(c)) {
            m.put("steam", true);
        }
        if (c.type() == OathType.TOTP) {
            m.put("period", c.period());
        } else {
            m.put("counter", c.counter());
        }
        m.put("secret_bytes", c.secret().length());
        return m;
    }

    /** {@link #describe(MigrationBatch)} for {@code --json}: its place in the export and what could not be taken. */
    static Map<String, Object> toJson(MigrationBatch b) {
        List<Object> skipped = new ArrayList<>();
        for (Skipped s : b.skipped()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("reason", s.reason());
            skipped.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", b.batchIndex() + 1);
        m.put("of", b.batchSize());
        m.put("accounts", b.accepted().size());
        m.put("skipped", skipped);
        return m;
    }
}
