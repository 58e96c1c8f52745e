package dev.otptoken.host.cli;

import dev.otptoken.files.FileReason;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.text.TerminalText;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The password of an encrypted export (docs/imports.md, "Passwords"): the first line of
 * {@code --export-password-file}, else asked on the terminal without echo; never an argument.
 * Every array handed out is the caller's to wipe; the buffers read here are wiped.
 */
final class ExportPasswords implements ExportPassword {
    /** Longest first line of a password file, in bytes. */
    static final int MAX_LINE_BYTES = 4096;

    private final Path file;
    private final Console console;

    /**
     * @param file    {@code --export-password-file}, or null
     * @param console the terminal to ask on, or null when there is none
     */
    ExportPasswords(Path file, Console console) {
        this.file = file;
        this.console = console;
    }

    /** @param export the file, for the prompt; the messages leave it out (the caller names the file). */
    @Override
    public char[] password(String export) throws ImportException {
        if (file != null) {
            return firstLine();
        }
        if (console == null) {
            throw new ImportException("encrypted: give its password with --export-password-file FILE (first line),"
                    + " or run on a terminal to be asked");
        }
        char[] typed = console.readPassword("Password of %s: ", TerminalText.escape(export));
        if (typed == null || typed.length == 0) {
            SecretBytes.wipe(typed);
            throw new ImportException("encrypted, and no password was given");
        }
        Optional<String> unread = Locales.unreadable(typed);
        if (unread.isPresent()) {
            SecretBytes.wipe(typed);
            throw new ImportException("the password typed " + unread.get());
        }
        return typed;
    }

    /** The first line of the password file, without its line end (LF or CRLF). */
    private char[] firstLine() throws ImportException {
        byte[] buf = new byte[MAX_LINE_BYTES];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == MAX_LINE_BYTES) {
                    throw new ImportException("--export-password-file " + file + ": the first line is longer than "
                            + MAX_LINE_BYTES + " bytes");
                }
                buf[n++] = (byte) b;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            if (n == 0) {
                throw new ImportException("--export-password-file " + file + ": the first line is empty");
            }
            return decode(buf, n);
        } catch (IOException e) {
            throw new ImportException("--export-password-file " + file + ": " + FileReason.reading(e), e);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    private char[] decode(byte[] buf, int n) throws ImportException {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, 0, n));
        } catch (CharacterCodingException e) {
            throw new ImportException("--export-password-file " + file + ": the first line is not UTF-8 text", e);
        }
        char[] out = new char[chars.remaining()];
        chars.get(out);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return out;
    }
}
