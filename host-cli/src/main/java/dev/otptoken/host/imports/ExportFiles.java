package dev.otptoken.host.imports;

import dev.otptoken.files.FileReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one export file: refuses it beyond {@link ExportSize#MAX_BYTES} bytes before reading it
 * all, finds the reader that recognises its content ({@link ExportReaders}) and reads it.
 * Every message names the file and stays on one line; a reader that breaks its contract with
 * an unchecked exception still ends in an {@link ImportException} here.
 */
public final class ExportFiles {
    private ExportFiles() {
    }

    /**
     * The accounts of {@code file}.
     *
     * @param password asked (with the file's name) only when the file is encrypted
     */
    public static Imported read(Path file, ExportPassword password) throws ImportException {
        return read(file, bytes(file), password);
    }

    /**
     * The accounts in {@code content}, read from {@code file} already (a pipe can be read only
     * once); {@code content} is wiped before this returns.
     */
    public static Imported read(Path file, byte[] content, ExportPassword password) throws ImportException {
        try {
            if (content.length > ExportSize.MAX_BYTES) {
                throw new ImportException(file + ": larger than the " + ExportSize.MAX_BYTES
                        + " bytes an export is read up to");
            }
            if (content.length == 0) {
                throw new ImportException(file + ": empty file");
            }
            ExportReader reader = ExportReaders.recognise(content).orElse(null);
            if (reader == null) {
                String bound = ExportJson.problem(content);
                throw new ImportException(file + ": " + (bound != null ? bound
                        : "not a QR image, a text file of otpauth URIs or an export otptoken reads ("
                                + ExportReaders.names() + ")"));
            }
            ExportPassword forFile = what -> password.password(file + " (" + what + ")");
            try {
                return reader.read(content, forFile);
            } catch (WrongExportPasswordException e) {
                throw new WrongExportPasswordException(file + ": " + e.getMessage());
            } catch (ImportException e) {
                throw new ImportException(file + ": " + e.getMessage(), e);
            } catch (RuntimeException | StackOverflowError e) {
                // a reader's bug; not chained, since its message may quote the file's content
                throw new ImportException(file + ": " + reader.format() + ": cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * The file's bytes: a regular file is refused beyond the cap by its size, before it is read;
     * a pipe is read up to one byte past the cap, which {@link #read(Path, byte[], ExportPassword)}
     * refuses.
     */
    static byte[] bytes(Path file) throws ImportException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImportException("cannot read " + file + ": is a directory");
            }
            if (Files.isRegularFile(file) && Files.size(file) > ExportSize.MAX_BYTES) {
                throw new ImportException(file + ": " + Files.size(file) + " bytes: larger than the " + ExportSize.MAX_BYTES
                        + " bytes an export is read up to");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(ExportSize.MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + FileReason.reading(e), e);
        }
    }
}
