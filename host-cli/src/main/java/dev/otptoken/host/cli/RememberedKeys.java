package dev.otptoken.host.cli;

import dev.otptoken.host.files.HostFileException;
import dev.otptoken.host.files.PrivateFile;
import dev.otptoken.host.session.AccessKeys;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.xdg.NoHomeDirectoryException;
import dev.otptoken.xdg.XdgBaseDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The access keys {@code --remember} keeps, as ykman's {@code oath access remember} does: one
 * line per token, {@code DEVICE-ID HEX-KEY}, in {@code $XDG_CONFIG_HOME/otptoken/oath-keys}
 * (default {@code ~/.config/otptoken/oath-keys}), mode 0600 in a 0700 directory, replaced
 * atomically (temporary file, fsync, rename, as the drift record is written). Never the
 * password: the PBKDF2 key derived from it and the token's salt, which unlocks that token only.
 * Keys are wiped once used; none is ever printed, logged or put in a message.
 */
final class RememberedKeys implements AccessKeys {
    /** The file's name in the configuration directory. */
    static final String FILE_NAME = "oath-keys";
    private static final String HEADER = "# otptoken: remembered OATH access keys (otptoken password forget)\n";
    /** A file this large is not one of ours. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    /** Null when there is no configuration directory: nothing is remembered, and nothing can be. */
    private final Path file;
    private final NoHomeDirectoryException noDirectory;
    private final PrintStream err;

    RememberedKeys(Path file, PrintStream err) {
        this(file, null, err);
    }

    private RememberedKeys(Path file, NoHomeDirectoryException noDirectory, PrintStream err) {
        this.file = file;
        this.noDirectory = noDirectory;
        this.err = err;
    }

    /** The keys kept in the configuration directory of {@code environment} (docs/otptoken-cli.md, "Files"). */
    static RememberedKeys of(Map<String, String> environment, PrintStream err) {
        return of(environment, System.getProperty("user.home"), err);
    }

    /** {@link #of(Map, PrintStream)} with {@code home} as the home directory. */
    static RememberedKeys of(Map<String, String> environment, String home, PrintStream err) {
        try {
            return new RememberedKeys(XdgBaseDirectory.CONFIG.in(environment, home).resolve("otptoken").resolve(FILE_NAME),
                    err);
        } catch (NoHomeDirectoryException e) {
            return new RememberedKeys(null, e, err);
        }
    }

    @Override
    public byte[] find(String deviceId) throws IOException {
        Map<String, byte[]> keys = load();
        try {
            byte[] key = keys.get(deviceId);
            return key == null ? null : key.clone();
        } finally {
            wipe(keys);
        }
    }

    @Override
    public void remember(String deviceId, byte[] key) throws IOException {
        Map<String, byte[]> keys = load();
        try {
            SecretBytes.wipe(keys.put(deviceId, key.clone()));
            save(keys);
        } finally {
            wipe(keys);
        }
    }

    @Override
    public void refused(String deviceId) throws IOException {
        forget(deviceId);
        err.println("otptoken: the token refused its remembered key: forgotten; asking for the password");
    }

    /** Forgets the key of {@code deviceId}; false when none was remembered. */
    boolean forget(String deviceId) throws IOException {
        Map<String, byte[]> keys = load();
        try {
            byte[] gone = keys.remove(deviceId);
            if (gone == null) {
                return false;
            }
            SecretBytes.wipe(gone);
            save(keys);
            return true;
        } finally {
            wipe(keys);
        }
    }

    /**
     * Forgets every key (deletes the file); how many there were, or -1 when the file was not
     * readable as remembered keys (damaged): it is deleted all the same, that being the way out
     * the damaged file's message points to.
     */
    int forgetAll() throws IOException {
        int n;
        try {
            Map<String, byte[]> keys = load();
            n = keys.size();
            wipe(keys);
        } catch (BadFileException damaged) {
            n = -1;
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw HostFileException.writing(file, e);
            }
        }
        return n;
    }

    /** Every remembered key, by device id; empty when there is no file. The caller wipes them. */
    private Map<String, byte[]> load() throws IOException {
        Map<String, byte[]> keys = new TreeMap<>();
        if (file == null || !Files.exists(file)) {
            return keys;
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new BadFileException(file + ": too large to be a file of remembered keys");
            }
            bytes = Files.readAllBytes(file);
        } catch (BadFileException e) {
            throw e;
        } catch (IOException e) {
            throw HostFileException.reading(file, e);
        }
        try {
            int line = 0;
            int start = 0;
            while (start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                line++;
                parseLine(bytes, start, end, line, keys);
                start = end + 1;
            }
            return keys;
        } catch (IOException | RuntimeException e) {
            wipe(keys);
            throw e;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** {@code DEVICE-ID HEX-KEY}; blank lines and {@code #} comments are skipped. */
    private void parseLine(byte[] b, int start, int end, int line, Map<String, byte[]> keys) throws IOException {
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        if (start == end || b[start] == '#') {
            return;
        }
        int space = start;
        while (space < end && b[space] != ' ') {
            space++;
        }
        int hexLength = end - space - 1;
        if (space == start || hexLength <= 0 || hexLength % 2 != 0) {
            // no content of the line in the message: it may hold a key
            throw new BadFileException(file + ": line " + line + " is not 'DEVICE-ID HEX-KEY'");
        }
        String id = new String(b, start, space - start, StandardCharsets.US_ASCII);
        byte[] key = new byte[hexLength / 2];
        for (int i = 0; i < key.length; i++) {
            int hi = Character.digit(b[space + 1 + 2 * i], 16);
            int lo = Character.digit(b[space + 2 + 2 * i], 16);
            if (hi < 0 || lo < 0) {
                SecretBytes.wipe(key);
                throw new BadFileException(file + ": line " + line + " is not 'DEVICE-ID HEX-KEY'");
            }
            key[i] = (byte) (hi << 4 | lo);
        }
        SecretBytes.wipe(keys.put(id, key));
    }

    /** Replaces the file atomically with {@code keys}: 0600 temporary file, fsync, rename, directory fsync. */
    private void save(Map<String, byte[]> keys) throws IOException {
        if (file == null) {
            throw new HostFileException("cannot remember the key: " + noDirectory.getMessage(), noDirectory);
        }
        PrivateFile.replace(file, encode(keys));
    }

    private static byte[] encode(Map<String, byte[]> keys) {
        byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
        int size = header.length;
        for (Map.Entry<String, byte[]> e : keys.entrySet()) {
            size += e.getKey().length() + 2 + 2 * e.getValue().length;
        }
        // one array of the exact size, so that no copy of a key is left behind unwiped
        byte[] out = new byte[size];
        System.arraycopy(header, 0, out, 0, header.length);
        int n = header.length;
        byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (Map.Entry<String, byte[]> e : keys.entrySet()) {
            byte[] id = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, out, n, id.length);
            n += id.length;
            out[n++] = ' ';
            for (byte k : e.getValue()) {
                out[n++] = digits[(k >> 4) & 0xF];
                out[n++] = digits[k & 0xF];
            }
            out[n++] = '\n';
        }
        return out;
    }

    private static void wipe(Map<String, byte[]> keys) {
        keys.values().forEach(SecretBytes::wipe);
        keys.clear();
    }

    /** The file is there but is not remembered keys (its message names the line, never its text). */
    private static final class BadFileException extends HostFileException {
        private static final long serialVersionUID = 1L;

        BadFileException(String message) {
            super(message, null);
        }
    }
}
