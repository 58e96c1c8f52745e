package dev.otptoken.host.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of standard input (an otpauth URI given as {@code -}, or a secret), read byte by
 * byte so that nothing after it is consumed: a {@code --password-stdin} line may follow it.
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
        String text = withoutBom(line.toString(StandardCharsets.UTF_8)).strip();
        if (text.isEmpty()) {
            throw new BadInputException("standard input: no " + what + " (one line was expected)");
        }
        return text;
    }

    /** {@code text} without the byte order mark a Windows editor puts first, as a file of URIs is read. */
    private static String withoutBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Most bytes {@link #lines} reads: a few hundred URIs, far more than any token holds. */
    static final int MAX_LINES_BYTES = 1024 * 1024;

    /**
     * Every line of {@code in} up to its end, stripped, without blank lines and {@code #} comments,
     * each with its line number (from 1).
     *
     * @param what what each line should hold, for the messages
     * @throws BadInputException when there is no such line, or more than {@value #MAX_LINES_BYTES} bytes
     */
    static List<Line> lines(InputStream in, String what) throws IOException, BadInputException {
        byte[] all = in.readNBytes(MAX_LINES_BYTES + 1);
        try {
            if (all.length > MAX_LINES_BYTES) {
                throw new BadInputException("standard input is longer than " + MAX_LINES_BYTES + " bytes");
            }
            List<Line> lines = new ArrayList<>();
            String[] split = withoutBom(new String(all, StandardCharsets.UTF_8)).split("\n", -1);
            for (int i = 0; i < split.length; i++) {
                String text = split[i].strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    lines.add(new Line(i + 1, text));
                }
            }
            if (lines.isEmpty()) {
                throw new BadInputException("standard input: no " + what + " (one per line was expected)");
            }
            return lines;
        } finally {
            Arrays.fill(all, (byte) 0);
        }
    }

    /** One line of {@link #lines}: its number and text. The text may be a secret: no {@code toString} of it. */
    record Line(int number, String text) {
        @Override
        public String toString() {
            return "Line[" + number + ", " + text.length() + " characters]";
        }
    }

    /** Longest secret line accepted: the Base32 of a key far longer than any hash block. */
    static final int MAX_SECRET_BYTES = 1024;

    /**
     * The first line of {@code in} as bytes, for a secret that must not become a {@code String}:
     * without its line end and surrounding blanks (spaces, tabs, a CR). The buffer it is read
     * into is wiped; the caller owns (and should wipe) the result.
     *
     * @param what what the line should hold, for the messages (never the line itself)
     * @throws BadInputException at the end of input without a line, on a blank line, or a line longer than
     *                           {@value #MAX_SECRET_BYTES} bytes
     */
    static byte[] secretLine(InputStream in, String what) throws IOException, BadInputException {
        byte[] buf = new byte[MAX_SECRET_BYTES];
        int n = 0;
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == MAX_SECRET_BYTES) {
                    throw new BadInputException("standard input: the " + what + " line is longer than "
                            + MAX_SECRET_BYTES + " bytes");
                }
                buf[n++] = (byte) b;
            }
            int from = 0;
            while (from < n && isBlank(buf[from])) {
                from++;
            }
            int to = n;
            while (to > from && isBlank(buf[to - 1])) {
                to--;
            }
            if (from == to) {
                throw new BadInputException("standard input: no " + what + " (one line was expected)");
            }
            return Arrays.copyOfRange(buf, from, to);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
