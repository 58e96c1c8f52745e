package dev.otptoken.host.cli;

import dev.otptoken.host.session.PasswordSource;
import dev.otptoken.protocol.oath.SecretBytes;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where passwords come from: one line of standard input per password with
 * {@code --password-stdin}, else the console without echo, else nowhere (null). Every
 * array handed out is the caller's to wipe; intermediate buffers are wiped here.
 */
final class Passwords implements PasswordSource {
    /** Longest password line accepted from standard input. */
    private static final int MAX_LENGTH = 1024;

    private final boolean fromStdin;
    private final InputStream in;
    private final boolean console;
    private Reader reader;

    Passwords(boolean fromStdin, InputStream in, boolean console) {
        this.fromStdin = fromStdin;
        this.in = in;
        this.console = console;
    }

    /** A password, or null when there is no way to ask for one. */
    @Override
    public char[] read(String prompt) throws IOException {
        char[] password;
        if (fromStdin) {
            password = readLine();
            if (password.length == 0) {
                throw new UnusablePasswordException("no password on standard input: --password-stdin reads one line"
                        + " per password, and an empty line is not a password; the token was not asked");
            }
            return password;
        }
        Console c = console ? System.console() : null;
        if (c == null) {
            return null;
        }
        password = c.readPassword("%s", prompt);
        if (password == null || password.length == 0) {
            throw new UnusablePasswordException("no password given: an empty password is not a password;"
                    + " the token was not asked");
        }
        Optional<String> unread = Locales.unreadable(password);
        if (unread.isPresent()) {
            SecretBytes.wipe(password);
            throw new UnusablePasswordException("the password typed " + unread.get() + "; the token was not asked");
        }
        return password;
    }

    /** A new password, asked twice on a console. */
    char[] readNew(String prompt) throws IOException, BadInputException {
        char[] first = read(prompt);
        if (first == null || fromStdin) {
            return first;
        }
        char[] second;
        try {
            second = read("repeat " + prompt);
        } catch (IOException | RuntimeException e) {
            SecretBytes.wipe(first);
            throw e;
        }
        try {
            if (second == null || !Arrays.equals(first, second)) {
                SecretBytes.wipe(first);
                throw new BadInputException("the passwords do not match");
            }
            return first;
        } finally {
            SecretBytes.wipe(second);
        }
    }

    private char[] readLine() throws IOException {
        if (reader == null) {
            reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        }
        char[] buf = new char[MAX_LENGTH];
        int n = 0;
        try {
            while (true) {
                int c = reader.read();
                if (c < 0 || c == '\n') {
                    break;
                }
                if (n == MAX_LENGTH) {
                    throw new IOException("password line longer than " + MAX_LENGTH + " characters");
                }
                buf[n++] = (char) c;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            return Arrays.copyOf(buf, n);
        } finally {
            SecretBytes.wipe(buf);
        }
    }
}
