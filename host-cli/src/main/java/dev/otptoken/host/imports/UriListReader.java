package dev.otptoken.host.imports;

import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpInput;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A text file of {@code otpauth://} and {@code otpauth-migration://} URIs, one per line
 * (docs/imports.md, "Text file of URIs"): blank lines and lines starting with {@code #}
 * ignored, each URI parsed exactly as {@code provision --uri} parses it. A line the token
 * cannot take is skipped as {@code line N} with the reason; the other lines go on.
 */
public final class UriListReader implements ExportReader {
    static final String FORMAT = "otpauth URI list";
    /** Recognition looks at this much of the file at most. */
    private static final int SNIFF_BYTES = 64 * 1024;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        String text = new String(content, 0, Math.min(content.length, SNIFF_BYTES), StandardCharsets.UTF_8);
        for (String line : text.split("\n", -1)) {
            String s = strip(line);
            if (!s.isEmpty() && !s.startsWith("#")) {
                return OtpInput.isOtpauth(s);
            }
        }
        return false;
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        String text = ExportText.utf8(content, FORMAT);
        ImportedAccounts accounts = new ImportedAccounts(FORMAT);
        boolean done = false;
        try {
            String[] lines = text.split("\n", -1);
            int uris = 0;
            for (int i = 0; i < lines.length; i++) {
                String s = strip(lines[i]);
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                uris++;
                try {
                    OtpInput parsed = OtpInput.parse(s);
                    accounts.addAll(parsed.credentials(), parsed.skipped());
                    parsed.migrationCodes().forEach(accounts::addMigrationCode);
                } catch (InvalidUriException e) {
                    accounts.skip("line " + (i + 1), e.getMessage());
                }
            }
            if (uris == 0) {
                throw new ImportException(FORMAT + ": no URI in the file");
            }
            done = true;
            return accounts.result();
        } finally {
            if (!done) {
                accounts.discard();
            }
        }
    }

    /** The line without surrounding white space, a CR and a byte order mark. */
    private static String strip(String line) {
        String s = line.strip();
        return s.startsWith("\uFEFF") ? s.substring(1).strip() : s;
    }
}
