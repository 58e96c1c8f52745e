package dev.otptoken.host.drift;

import dev.otptoken.host.files.PrivateFile;
import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.InvalidBase32Exception;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.SecretBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.security.auth.Destroyable;

/**
 * The relying party's record of one TOTP account: its parameters, its seed and the step
 * offsets observed so far. It is a verifier database, so it holds the secret, which is why
 * it is written with mode 0600 from creation (never chmod-ed afterwards, which would leave a
 * window) and replaced atomically (a crash leaves the old or the new file, never half).
 *
 * <p>The format is line-based text so that a user can inspect it:
 * <pre>
 * otptoken-drift 1
 * name Example:alice
 * algorithm SHA1
 * digits 6
 * period 30
 * secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
 * observation 1767225600000 -1
 * </pre>
 * Not a record: it owns a {@link SecretBytes}; {@link #toString()} leaves the secret out.
 */
public final class DriftRecord implements Destroyable {
    /** First line of every record file. */
    public static final String MAGIC = "otptoken-drift 1";
    /** A file larger than this is not a drift record (and would not fit memory sensibly). */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** Observations kept; the oldest are dropped beyond this (the rate needs a few, spread in time). */
    public static final int MAX_OBSERVATIONS = 1000;

    private static final String NAME = "name";
    private static final String ALGORITHM = "algorithm";
    private static final String DIGITS = "digits";
    private static final String PERIOD = "period";
    private static final String SECRET = "secret";
    private static final String OBSERVATION = "observation";
    /** Characters decoded at a time when checking that a file is UTF-8. */
    private static final int UTF8_CHUNK_CHARS = 256;

    private final String name;
    private final HashAlgorithm algorithm;
    private final int digits;
    private final int period;
    private final SecretBytes secret;
    private final List<StepObservation> observations;

    /**
     * @param secret taken over: destroyed with this record
     */
    public DriftRecord(String name, HashAlgorithm algorithm, int digits, int period, SecretBytes secret,
                       List<StepObservation> observations) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("name must be non-empty printable text");
        }
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            throw new IllegalArgumentException("digits out of range: " + digits);
        }
        if (period < 1 || period > Oath.MAX_PERIOD) {
            throw new IllegalArgumentException("period out of range: " + period);
        }
        for (StepObservation o : observations) {
            if (o.periodSeconds() != period) {
                throw new IllegalArgumentException("observation with another period");
            }
        }
        this.name = name;
        this.algorithm = algorithm;
        this.digits = digits;
        this.period = period;
        this.secret = secret;
        List<StepObservation> obs = new ArrayList<>(observations);
        this.observations = obs.size() > MAX_OBSERVATIONS
                ? new ArrayList<>(obs.subList(obs.size() - MAX_OBSERVATIONS, obs.size())) : obs;
    }

    public String name() {
        return name;
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    public int period() {
        return period;
    }

    /** The seed; owned by this record. */
    public SecretBytes secret() {
        return secret;
    }

    public List<StepObservation> observations() {
        return List.copyOf(observations);
    }

    /** This record with one more observation (sharing the secret holder). */
    public DriftRecord with(StepObservation o) {
        List<StepObservation> more = new ArrayList<>(observations);
        more.add(o);
        return new DriftRecord(name, algorithm, digits, period, secret, more);
    }

    /** A window search keyed with this record's seed; close it after use. */
    public TotpWindowSearch search() {
        return new TotpWindowSearch(algorithm, secret, digits, period);
    }

    // ---- text form ----

    /** The file's bytes. The caller wipes them (they contain the secret). */
    byte[] encode() {
        StringBuilder head = new StringBuilder();
        head.append(MAGIC).append('\n')
            .append(NAME).append(' ').append(name).append('\n')
            .append(ALGORITHM).append(' ').append(algorithm.name()).append('\n')
            .append(DIGITS).append(' ').append(digits).append('\n')
            .append(PERIOD).append(' ').append(period).append('\n')
            .append(SECRET).append(' ');
        StringBuilder tail = new StringBuilder("\n");
        for (StepObservation o : observations) {
            tail.append(OBSERVATION).append(' ').append(o.epochMillis()).append(' ').append(o.stepOffset()).append('\n');
        }
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = secret.copy();
        byte[] b32 = null;
        try {
            b32 = Base32.encodeAscii(key);
            ByteBuffer all = ByteBuffer.allocate(h.length + b32.length + t.length);
            all.put(h).put(b32).put(t);
            return all.array();
        } finally {
            SecretBytes.wipe(key);
            if (b32 != null) {
                Arrays.fill(b32, (byte) 0);
            }
        }
    }

    /**
     * Parses a record file's bytes; refuses anything that is not exactly a record. The bytes
     * are read as they are: the secret line never becomes a {@code String}, and the only
     * characters decoded from it (to check that the file is UTF-8) are wiped.
     */
    static DriftRecord decode(byte[] bytes) throws DriftRecordException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new DriftRecordException("too large to be a drift record");
        }
        requireUtf8(bytes);
        // A line feed byte is a line feed character in UTF-8: no multi-byte sequence holds one.
        Lines lines = new Lines(bytes);
        if (lines.count() < 7 || !lines.text(0).equals(MAGIC) || lines.length(lines.count() - 1) != 0) {
            throw new DriftRecordException("not an otptoken drift record (first line must be '" + MAGIC + "')");
        }
        String name = field(lines.text(1), NAME);
        if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new DriftRecordException("line 2: bad name");
        }
        HashAlgorithm alg;
        try {
            alg = HashAlgorithm.valueOf(field(lines.text(2), ALGORITHM));
        } catch (IllegalArgumentException e) {
            throw new DriftRecordException("line 3: unknown algorithm");
        }
        int digits = intField(lines.text(3), DIGITS, Oath.MIN_DIGITS, Oath.MAX_DIGITS);
        int period = intField(lines.text(4), PERIOD, 1, Oath.MAX_PERIOD);
        byte[] key;
        try {
            key = Base32.decodeAscii(bytes, lines.valueStart(5, SECRET), lines.end(5));
        } catch (InvalidBase32Exception e) {
            // the message would describe the secret's text; say only where
            throw new DriftRecordException("line 6: the secret is not Base32");
        }
        SecretBytes secret = SecretBytes.wrap(key);
        try {
            List<StepObservation> obs = new ArrayList<>();
            for (int i = 6; i < lines.count() - 1; i++) {
                String[] parts = field(lines.text(i), OBSERVATION).split(" ", -1);
                if (parts.length != 2) {
                    throw new DriftRecordException("line " + (i + 1) + ": expected 'observation MILLIS OFFSET'");
                }
                try {
                    obs.add(new StepObservation(Long.parseLong(parts[0]), Long.parseLong(parts[1]), period));
                } catch (NumberFormatException e) {
                    throw new DriftRecordException("line " + (i + 1) + ": not a number");
                }
            }
            if (obs.size() > MAX_OBSERVATIONS) {
                throw new DriftRecordException("more than " + MAX_OBSERVATIONS + " observations");
            }
            return new DriftRecord(name, alg, digits, period, secret, obs);
        } catch (DriftRecordException | RuntimeException e) {
            secret.destroy();
            throw e;
        }
    }

    /**
     * Refuses bytes that are not UTF-8, decoding them a small chunk at a time into a buffer
     * that is wiped afterwards.
     */
    private static void requireUtf8(byte[] bytes) throws DriftRecordException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        char[] chunk = new char[UTF8_CHUNK_CHARS];
        CharBuffer out = CharBuffer.wrap(chunk);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CoderResult r = decoder.decode(in, out, true);
            while (r.isOverflow()) {
                out.clear();
                r = decoder.decode(in, out, true);
            }
            if (r.isError()) {
                throw new DriftRecordException("not UTF-8 text");
            }
            out.clear();
            if (decoder.flush(out).isError()) {
                throw new DriftRecordException("not UTF-8 text");
            }
        } finally {
            Arrays.fill(chunk, '\0');
        }
    }

    /** The lines of a record file's bytes, split at line feeds; the last is what follows the last one. */
    private static final class Lines {
        private final byte[] bytes;
        /** Where each line starts; one more entry than lines, one past the end of the last. */
        private final int[] starts;

        Lines(byte[] bytes) {
            this.bytes = bytes;
            int feeds = 0;
            for (byte b : bytes) {
                if (b == '\n') {
                    feeds++;
                }
            }
            starts = new int[feeds + 2];
            int line = 1;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    starts[line++] = i + 1;
                }
            }
            starts[line] = bytes.length + 1;
        }

        int count() {
            return starts.length - 1;
        }

        /** Where line {@code i} ends (its line feed, or the end of the bytes). */
        int end(int i) {
            return starts[i + 1] - 1;
        }

        int length(int i) {
            return end(i) - starts[i];
        }

        /** Line {@code i} as text: only for lines that hold no secret. */
        String text(int i) {
            return new String(bytes, starts[i], length(i), StandardCharsets.UTF_8);
        }

        /** Where the value of line {@code i}, {@code "KEY value"}, starts. */
        int valueStart(int i, String key) throws DriftRecordException {
            byte[] prefix = (key + " ").getBytes(StandardCharsets.US_ASCII);
            if (length(i) < prefix.length
                    || !Arrays.equals(bytes, starts[i], starts[i] + prefix.length, prefix, 0, prefix.length)) {
                throw new DriftRecordException("expected a '" + key + "' line");
            }
            return starts[i] + prefix.length;
        }
    }

    private static String field(String line, String key) throws DriftRecordException {
        if (!line.startsWith(key + " ")) {
            throw new DriftRecordException("expected a '" + key + "' line");
        }
        return line.substring(key.length() + 1);
    }

    private static int intField(String line, String key, int min, int max) throws DriftRecordException {
        String v = field(line, key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new DriftRecordException(key + " out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new DriftRecordException(key + " is not a number");
        }
    }

    // ---- files ----

    /** Loads {@code file}. */
    public static DriftRecord load(Path file) throws IOException, DriftRecordException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new DriftRecordException(file + ": too large to be a drift record");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return decode(bytes);
        } catch (DriftRecordException e) {
            throw new DriftRecordException(file + ": " + e.getMessage());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Writes {@code file} atomically with mode 0600: a temporary file created with that mode
     * in the same directory, synced, renamed over the old one, and the directory synced so the
     * rename itself survives a power cut — the same steps as the token's state file (see
     * docs/decisions.md, "Two atomic file writers"). Missing parent directories are created
     * with mode 0700.
     */
    public void save(Path file) throws IOException {
        PrivateFile.replace(file, encode());
    }

    @Override
    public void destroy() {
        secret.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return secret.isDestroyed();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DriftRecord[%s, %s, %d digits, %d s, secret %s, %d observations]", name,
                algorithm, digits, period, secret, observations.size());
    }
}
