package dev.otptoken.host.imports;

/**
 * One export format (docs/imports.md). Formats are recognised by content, never by file name:
 * {@link #recognises} looks at the bytes only, cheaply, and without throwing; {@link #read}
 * parses, decrypts (asking {@code password} only when the file is encrypted) and validates.
 */
public interface ExportReader {
    /** The format's name as the user knows it ("Aegis vault", "PSKC"), for messages. */
    String format();

    /** Whether {@code content} is this format (never throws, never asks a password). */
    boolean recognises(byte[] content);

    /**
     * The accounts of the file. Only {@link ImportException} (or its {@link WrongExportPasswordException})
     * leaves this method, whatever the bytes: never a hang, an {@code OutOfMemoryError} on a crafted
     * size or work factor, or another exception.
     */
    Imported read(byte[] content, ExportPassword password) throws ImportException;
}
