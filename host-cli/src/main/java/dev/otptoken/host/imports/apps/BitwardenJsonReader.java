package dev.otptoken.host.imports.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import java.util.Set;

/**
 * Bitwarden's JSON export (docs/imports.md, "Bitwarden"): the {@code items} whose
 * {@code login.totp} is set. That field holds an otpauth URI, {@code steam://SECRET}, or a bare
 * Base32 secret, which Bitwarden computes as TOTP, SHA-1, 6 digits, 30 s; the item's name is
 * then the issuer and {@code login.username} the account. Items without one are not accounts
 * and are passed over. Password-protected exports are recognised and refused.
 */
public final class BitwardenJsonReader implements ExportReader {
    static final String FORMAT = "Bitwarden JSON export";
    private static final String ITEMS = "items";
    private static final String ENCRYPTED = "encrypted";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        Set<String> names = AppExports.topLevelNames(content);
        return names.contains(ENCRYPTED) && (names.contains(ITEMS) || names.contains("data"));
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        JsonNode root = AppExports.readJson(content, FORMAT);
        if (!root.isObject()) {
            throw new ImportException(FORMAT + ": the file is not a JSON object");
        }
        if (root.path(ENCRYPTED).asBoolean(false)) {
            throw new ImportException(FORMAT + ": encrypted exports are not read; export the vault again as"
                    + " .json (not \"encrypted\") and import that file");
        }
        JsonNode items = AppExports.array(root, ITEMS, FORMAT);
        AppExports.Entries entries = new AppExports.Entries(FORMAT);
        for (JsonNode item : items) {
            if (!item.isObject()) {
                entries.destroy();
                throw new ImportException(FORMAT + ": an entry of \"" + ITEMS + "\" is not an object");
            }
            JsonNode login = item.get("login");
            if (login == null || !login.isObject()) {
                continue;
            }
            add(entries, AppExports.text(item, "name"), AppExports.text(login, "username"),
                    AppExports.text(login, "totp"));
        }
        return entries.result();
    }

    /**
     * One login's TOTP field, as the JSON and the CSV exports give it; an empty field is no
     * account.
     */
    static void add(AppExports.Entries entries, String itemName, String username, String totp)
            throws ImportException {
        if (totp == null || totp.isBlank()) {
            return;
        }
        String t = totp.strip();
        boolean steam = t.regionMatches(true, 0, AppExports.STEAM_SCHEME, 0, AppExports.STEAM_SCHEME.length());
        if (steam || OtpInput.isOtpauth(t)) {
            entries.uri(t, itemName, username);
            return;
        }
        entries.fields(OathType.TOTP, itemName, username, HashAlgorithm.SHA1, AppExports.DEFAULT_DIGITS,
                Oath.DEFAULT_PERIOD, 0, t);
    }
}
