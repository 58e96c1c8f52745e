package dev.otptoken.host.imports.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.ImportedAccounts;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.otpauth.OtpInput;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Ente Auth's plain-text export (docs/imports.md, "Ente Auth"): one otpauth URI per line, each
 * carrying Ente's own {@code codeDisplay} parameter (a JSON object: pinned, trashed, tags, note).
 * Codes in Ente's trash are skipped with that reason. A list of URIs without any
 * {@code codeDisplay} is no different from any text file of URIs and is left to that reader.
 */
public final class EnteReader implements ExportReader {
    static final String FORMAT = "Ente Auth export";
    static final String CODE_DISPLAY = "codeDisplay=";
    /** A line longer than this is no URI (the otpauth parser's own bound is lower). */
    private static final int MAX_LINE = 64 * 1024;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        try {
            String text = AppExports.text(content, FORMAT);
            boolean marked = false;
            for (String line : text.split("\n", -1)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (!OtpInput.isOtpauth(l)) {
                    return false;
                }
                marked |= l.contains("&" + CODE_DISPLAY) || l.contains("?" + CODE_DISPLAY);
            }
            return marked;
        } catch (ImportException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        String text = AppExports.text(content, FORMAT);
        AppExports.Entries entries = new AppExports.Entries(FORMAT);
        String[] lines = text.split("\n", -1);
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (++count > ImportedAccounts.MAX_ENTRIES) {
                entries.destroy();
                throw new ImportException(FORMAT + ": more than " + ImportedAccounts.MAX_ENTRIES + " codes");
            }
            String label = label(l, i + 1);
            if (l.length() > MAX_LINE) {
                entries.skip(AppExports.name(null, label), "the line is longer than " + MAX_LINE + " characters");
            } else if (!OtpInput.isOtpauth(l)) {
                entries.destroy();
                throw new ImportException(FORMAT + ": line " + (i + 1) + " is not an otpauth URI");
            } else if (trashed(l)) {
                entries.skip(AppExports.name(null, label), "in the trash of Ente Auth");
            } else {
                entries.uri(l, null, label);
            }
        }
        return entries.result();
    }

    /** Whether Ente's {@code codeDisplay} parameter says the code is in the trash. */
    static boolean trashed(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return false;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            if (pair.regionMatches(true, 0, CODE_DISPLAY, 0, CODE_DISPLAY.length())) {
                try {
                    String json = URLDecoder.decode(pair.substring(CODE_DISPLAY.length()), StandardCharsets.UTF_8);
                    JsonNode display = AppExports.readJson(json.getBytes(StandardCharsets.UTF_8), FORMAT);
                    return display.path("trashed").asBoolean(false);
                } catch (ImportException | IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * The label of a URI (the part between the type and the parameters, percent-decoded), for
     * naming a code that is skipped; {@code line N} when there is none.
     */
    static String label(String uri, int line) {
        String rest = uri.substring(Math.min(uri.length(), uri.indexOf("://") + 3));
        int slash = rest.indexOf('/');
        int end = rest.length();
        for (char c : new char[] {'?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String raw = slash < 0 || slash + 1 > end ? "" : rest.substring(slash + 1, end);
        String decoded;
        try {
            decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8).strip();
        } catch (IllegalArgumentException e) {
            decoded = raw.strip();
        }
        return decoded.isEmpty() ? String.format(Locale.ROOT, "line %d", line) : decoded;
    }
}
