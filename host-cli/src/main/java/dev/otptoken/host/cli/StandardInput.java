package dev.otptoken.host.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One line of standard input (an otpauth URI given as {@code -}), read byte by byte so that
 * nothing after it is consumed: a {@code --password-stdin} line may follow it.
 */
final class StandardInput {
    /** Longest line accepted: a Google Authenticator export of many accounts is a few kilobytes. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private StandardInput() {
    }

    /**
     * The first line of {@code in} without its line end, stripped of surrounding blanks.
     *
     * @param what what the line should hold, for the messages
     * @throws BadInputException at the end of input without a line, on a blank line, or a line longer than
     *                           {@value #MAX_LINE_BYTES} bytes
     */
    static String line(InputStream in, String what) throws IOException, BadInputException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() == MAX_LINE_BYTES) {
                throw new BadInputException("standard input: the " + what + " line is longer than " + MAX_LINE_BYTES
                        + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new BadInputException("standard input: no " + what + " (one line was expected)");
        }
        return text;
    }
}
