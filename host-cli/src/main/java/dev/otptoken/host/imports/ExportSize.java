package dev.otptoken.host.imports;

import java.util.Locale;

/**
 * The largest export file a reader accepts (docs/imports.md, "Bounds"). An authenticator's
 * export of a thousand accounts is well under a megabyte; anything far larger is not an
 * export, and refusing it before parsing keeps a hostile file from costing memory or time.
 */
public final class ExportSize {
    /** Bytes; larger files are refused before they are parsed. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

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
