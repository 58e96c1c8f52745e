package dev.otptoken.host.imports;

import java.util.Locale;

/**
 * The largest export file read (docs/imports.md, "Bounds"): {@link ExportFiles} refuses a
 * larger file before reading it all, every reader checks the bytes it is given, and the JSON
 * bounds ({@link ExportJson}) follow it. An authenticator's export of a thousand accounts is
 * well under a megabyte (an Aegis vault with an icon per entry a few MB); anything far larger
 * is not an export, and refusing it keeps a hostile file from costing memory or time.
 */
public final class ExportSize {
    /** Bytes; larger files are refused before they are parsed. */
    public static final int MAX_BYTES = 32 * 1024 * 1024;

    private ExportSize() {
    }

    /**
     * @param format the format's name, for the message
     * @throws ImportException when {@code content} is larger than {@link #MAX_BYTES}
     */
    public static void check(byte[] content, String format) throws ImportException {
        if (content.length > MAX_BYTES) {
            throw new ImportException(String.format(Locale.ROOT, "%s: the file is %d bytes; at most %d are accepted",
                    format, content.length, MAX_BYTES));
        }
    }
}
