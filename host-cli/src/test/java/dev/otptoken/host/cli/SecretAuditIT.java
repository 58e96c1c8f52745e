package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.otptoken.testing.PrivatePcsc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret audit: known secrets are provisioned in every way the host offers, at {@code -vv}
 * and {@code -v}, with the simulators at {@code -vv}; then everything the host printed or
 * wrote, the APDU traces in it, the token's responses and the simulators' output are searched
 * for each secret in every form {@link SecretScanner} decodes. Any hit fails the test with its
 * place and offset, never the secret.
 *
 * <p>Two files are exempt, by exact path, because holding the secret is their job: the
 * token's non-volatile memory ({@code --state}) and the drift record ({@code drift init},
 * the relying party's copy of a seed). Both must be mode 0600, and both are checked to hold
 * their secrets, which also proves that the scanned secrets are the ones provisioned. A state
 * file must also hold nothing of what was deleted from it: the keys of deleted accounts, of
 * tokens that were reset, and password keys that were changed or cleared. Every other file in
 * the state files' directory (a temporary copy left by a save) is scanned like any other.
 */
class SecretAuditIT {
    /** Fixed, so that a failure reproduces; the secrets are random bytes no other test uses. */
    private static final long SEED = 0x5EC2E7A0D17L;
    private static final String READER = PrivatePcsc.READER;
    private static final String TOUCH_WAITING = "touch: waiting";
    private static final String ATTACHED = "attached: ";
    private static final String TRACE_COMMAND = "TRACE: > ";
    private static final String TRACE_RESPONSE = "TRACE: < ";
    private static final String REDACTED = " bytes redacted>";
    private static final String SIM_DEBUG = "otptoken-sim: DEBUG: ";
    private static final long PROCESS_TIMEOUT_SECONDS = 120;
    private static final long SIM_START_SECONDS = 60;
    private static final long SIM_STOP_SECONDS = 10;
    private static final int CARD_WAIT_ATTEMPTS = 40;
    /** The card must answer this many times in a row before the test starts. */
    private static final int CARD_STEADY = 3;
    private static final int CONNECT_RETRIES = 3;
    private static final String CANNOT_CONNECT = "cannot connect to the card";
    private static final long CARD_WAIT_MILLIS = 250;
    private static final int PASSWORD_CHARS = 20;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    /** ykman's password key: PBKDF2-HMAC-SHA1, 1000 iterations, 16 bytes, the SELECT name as salt. */
    private static final int PBKDF2_ITERATIONS = 1000;
    private static final int PBKDF2_BITS = 128;
    private static final Pattern SELECT_SALT = Pattern.compile("TRACE: < 79 03 [0-9A-F ]*?71 08 ((?:[0-9A-F]{2} ?){8})");
    private static final Pattern CODE_LINE = Pattern.compile("(?m)^\\S+ +(\\d{6,8})$");
    /** The demo's secret is random and unknown here: anything that could be a 20-byte key or its URI. */
    private static final Pattern SECRET_LIKE = Pattern.compile("[A-Z2-7]{32}|[0-9a-fA-F]{40}|secret=|otpauth://");
    private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int BASE32_GROUP = 8;
    private static final int BASE32_BITS = 5;
    private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");
    // Google Authenticator MigrationPayload field numbers and enum values
    private static final int MIG_OTP_PARAMETERS = 1;
    private static final int MIG_VERSION = 2;
    private static final int MIG_BATCH_SIZE = 3;
    private static final int MIG_BATCH_INDEX = 4;
    private static final int MIG_BATCH_ID = 5;
    private static final int OTP_SECRET = 1;
    private static final int OTP_NAME = 2;
    private static final int OTP_ISSUER = 3;
    private static final int OTP_ALGORITHM = 4;
    private static final int OTP_DIGITS = 5;
    private static final int OTP_TYPE = 6;
    private static final int OTP_COUNTER = 7;
    private static final int MIG_ALG_MD5 = 4;
    private static final int MIG_DIGITS_SIX = 1;
    private static final int MIG_DIGITS_EIGHT = 2;
    private static final int MIG_TYPE_HOTP = 1;
    private static final int MIG_TYPE_TOTP = 2;

    /** Totals of every test of this class, printed at the end for docs/reliability.md. */
    private static final Map<String, String> SUMMARY = new TreeMap<>();

    @TempDir
    Path dir;

    /** The audit of the running test, so that its simulators stop even when it fails. */
    private Audit current;

    @AfterEach
    void stopSimulators() {
        if (current != null) {
            current.sims.forEach(AuditSim::close);
        }
    }

    @AfterAll
    static void printSummary() {
        SUMMARY.forEach((k, v) -> System.out.println("secret audit: " + k + ": " + v));
    }

    // ------------------------------------------------------------------ accounts

    enum Kind { TOTP, HOTP }

    /** One account whose secret is audited; never printed (no toString with the key). */
    static final class Acct {
        final String issuer;
        final String name;
        final Kind kind;
        final String alg;
        final int digits;
        final int period;
        final long counter;
        final byte[] key;

        Acct(String issuer, String name, Kind kind, String alg, int digits, int periodOrCounter, byte[] key) {
            this.issuer = issuer;
            this.name = name;
            this.kind = kind;
            this.alg = alg;
            this.digits = digits;
            this.period = kind == Kind.TOTP ? periodOrCounter : 0;
            this.counter = kind == Kind.HOTP ? periodOrCounter : 0;
            this.key = key;
        }

        String label() {
            return issuer + ":" + name;
        }

        String uri() {
            StringBuilder sb = new StringBuilder("otpauth://").append(kind.name().toLowerCase(Locale.ROOT)).append('/')
                    .append(label()).append("?secret=").append(base32(key, false)).append("&issuer=").append(issuer)
                    .append("&algorithm=").append(alg).append("&digits=").append(digits);
            sb.append(kind == Kind.TOTP ? "&period=" + period : "&counter=" + counter);
            return sb.toString();
        }

        @Override
        public String toString() {
            return label() + " (" + kind + " " + alg + ", " + key.length + " bytes)";
        }
    }

    /** Random keys from {@link #SEED}; each test draws its own, so the order of tests does not matter. */
    static final class Keys {
        private final Random random;

        Keys(long salt) {
            random = new Random(SEED ^ salt);
        }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }

        String password() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < PASSWORD_CHARS; i++) {
                sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
            }
            return sb.toString();
        }
    }

    static String base32(byte[] data, boolean pad) {
        StringBuilder sb = new StringBuilder();
        int acc = 0;
        int bits = 0;
        for (byte b : data) {
            acc = (acc << Byte.SIZE) | (b & 0xFF);
            bits += Byte.SIZE;
            while (bits >= BASE32_BITS) {
                bits -= BASE32_BITS;
                sb.append(BASE32_ALPHABET.charAt((acc >>> bits) & 0x1F));
            }
            acc &= (1 << bits) - 1;
        }
        if (bits > 0) {
            sb.append(BASE32_ALPHABET.charAt((acc << (BASE32_BITS - bits)) & 0x1F));
        }
        while (pad && sb.length() % BASE32_GROUP != 0) {
            sb.append('=');
        }
        return sb.toString();
    }

    /** Google Authenticator's export payload, built field by field. */
    static byte[] migrationPayload(List<Acct> accounts, List<Integer> algorithmOverride) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int i = 0; i < accounts.size(); i++) {
            Acct a = accounts.get(i);
            ByteArrayOutputStream pb = new ByteArrayOutputStream();
            CodedOutputStream p = CodedOutputStream.newInstance(pb);
            p.writeBytes(OTP_SECRET, ByteString.copyFrom(a.key));
            p.writeString(OTP_NAME, a.label());
            p.writeString(OTP_ISSUER, a.issuer);
            int alg = algorithmOverride.get(i) != null ? algorithmOverride.get(i) : switch (a.alg) {
                case "SHA1" -> 1;
                case "SHA256" -> 2;
                case "SHA512" -> 3;
                default -> throw new IllegalArgumentException(a.alg);
            };
            p.writeEnum(OTP_ALGORITHM, alg);
            p.writeEnum(OTP_DIGITS, a.digits == 8 ? MIG_DIGITS_EIGHT : MIG_DIGITS_SIX);
            p.writeEnum(OTP_TYPE, a.kind == Kind.HOTP ? MIG_TYPE_HOTP : MIG_TYPE_TOTP);
            if (a.kind == Kind.HOTP) {
                p.writeInt64(OTP_COUNTER, a.counter);
            }
            p.flush();
            out.writeBytes(MIG_OTP_PARAMETERS, ByteString.copyFrom(pb.toByteArray()));
        }
        out.writeInt32(MIG_VERSION, 1);
        out.writeInt32(MIG_BATCH_SIZE, 1);
        out.writeInt32(MIG_BATCH_INDEX, 0);
        out.writeInt32(MIG_BATCH_ID, 0x2A5EC);
        out.flush();
        return bytes.toByteArray();
    }

    /** As Google Authenticator writes it: standard Base64, percent-encoded. */
    static String migrationUriStd(byte[] payload) {
        return "otpauth-migration://offline?data="
                + URLEncoder.encode(Base64.getEncoder().encodeToString(payload), StandardCharsets.UTF_8);
    }

    /** As some exporters write it: URL-safe Base64 without padding. */
    static String migrationUriUrlSafe(byte[] payload) {
        return "otpauth-migration://offline?data=" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    static byte[] pbkdf2(String password, byte[] salt) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, PBKDF2_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    // ------------------------------------------------------------------ capture

    /** What one audit run saw: every stream, the places files may land, the secrets. */
    final class Audit {
        final SecretScanner scanner = new SecretScanner();
        final Map<String, byte[]> streams = new LinkedHashMap<>();
        final List<Path> exempt = new ArrayList<>();
        final Path home;
        final Path tmp;
        final Path cwd;
        final Path out;
        final Path inputs;
        final Path state;
        final Path capture;
        final Map<String, String> env = new LinkedHashMap<>();
        final List<AuditSim> sims = new ArrayList<>();
        int commands;
        int accounts;
        final Map<String, Integer> verbosity = new TreeMap<>();

        Audit() throws IOException {
            current = this;
            home = Files.createDirectories(dir.resolve("home"));
            tmp = Files.createDirectories(dir.resolve("tmp"));
            cwd = Files.createDirectories(dir.resolve("cwd"));
            out = Files.createDirectories(dir.resolve("out"));
            inputs = Files.createDirectories(dir.resolve("inputs"));
            state = Files.createDirectories(dir.resolve("state"));
            capture = Files.createDirectories(dir.resolve("capture"));
            env.put("HOME", home.toString());
            env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
            env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
            env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
            env.put("TMPDIR", tmp.toString());
            // user.home comes from the password database, not $HOME: set it too, with the temp directory
            env.put("OTPTOKEN_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp + " -Duser.home=" + home);
        }

        Acct account(Acct a) {
            accounts++;
            scanner.secret(a.toString(), a.key);
            scanner.text(a + " as URI", a.uri());
            return a;
        }

        /** A password: as text, and its bytes in every encoding. */
        void password(String label, String password) {
            scanner.text(label, password);
            scanner.secret(label + " (UTF-8)", password.getBytes(StandardCharsets.UTF_8));
        }

        /** Runs {@code bin/otptoken ARGS}; its output is kept for the scan. */
        Run host(String stdin, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Launchers.host().toString()));
            cmd.addAll(List.of(args));
            String label = "otptoken " + masked(args) + " #" + (++commands);
            for (String a : args) {
                if (a.equals("-v") || a.equals("-vv")) {
                    verbosity.merge(a, 1, Integer::sum);
                }
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
            pb.environment().remove(HostMain.PORT_VARIABLE);
            pb.environment().remove("OTPTOKEN_DRIFT_FILE");
            pb.environment().putAll(env);
            Path o = capture.resolve(commands + ".out");
            Path e = capture.resolve(commands + ".err");
            pb.redirectOutput(o.toFile()).redirectError(e.toFile());
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + label);
            }
            Run r = new Run(label, p.exitValue(), Files.readAllBytes(o), Files.readAllBytes(e));
            Files.delete(o);
            Files.delete(e);
            streams.put(label + " stdout", r.out);
            streams.put(label + " stderr", r.err);
            return r;
        }

        /**
         * Runs a command that must succeed. pcscd may power-cycle a card that vpcd just
         * presented; a reader command that could not even connect is tried again, a bounded
         * number of times (nothing was sent, so nothing is repeated; every attempt is scanned).
         */
        Run ok(String stdin, String... args) throws Exception {
            Run r = host(stdin, args);
            for (int i = 0; i < CONNECT_RETRIES && r.status == ExitStatus.NO_TOKEN && args[0].equals("--reader")
                    && r.errText().contains(CANNOT_CONNECT); i++) {
                Thread.sleep(CARD_WAIT_MILLIS);
                r = host(stdin, args);
            }
            assertThat(r.status).as("%s exited %d: %s", r.label, r.status, safe(r.err)).isZero();
            return r;
        }

        /** Runs a command that must fail with {@code status}. */
        Run fails(int status, String stdin, String... args) throws Exception {
            Run r = host(stdin, args);
            assertThat(r.status).as("%s: %s", r.label, safe(r.err)).isEqualTo(status);
            return r;
        }

        /** Text for an assertion message, unless it holds a secret (then the message would leak it). */
        String safe(byte[] text) {
            return scanner.scan("message", text).isEmpty() ? new String(text, StandardCharsets.UTF_8)
                    : "<withheld: it holds a secret>";
        }

        AuditSim sim(String name, String... extra) throws Exception {
            AuditSim s = new AuditSim(this, name, List.of(extra));
            sims.add(s);
            return s;
        }

        /** Stops every simulator, then scans everything; fails on any hit. */
        void scanEverything(String test) throws Exception {
            for (AuditSim s : sims) {
                s.close();
                streams.put("otptoken-sim " + s.name + " stdout", s.stdout.toByteArray());
                streams.put("otptoken-sim " + s.name + " stderr", s.stderr.toByteArray());
            }
            List<SecretScanner.Hit> hits = new ArrayList<>();
            long bytes = 0;
            int commandsTraced = 0;
            int responsesTraced = 0;
            int redacted = 0;
            int simLogLines = 0;
            for (Map.Entry<String, byte[]> s : streams.entrySet()) {
                hits.addAll(scanner.scan(s.getKey(), s.getValue()));
                bytes += s.getValue().length;
                String text = new String(s.getValue(), StandardCharsets.UTF_8);
                commandsTraced += count(text, TRACE_COMMAND);
                responsesTraced += count(text, TRACE_RESPONSE);
                redacted += count(text, REDACTED);
                simLogLines += count(text, SIM_DEBUG);
            }
            // the scan means something only if the traces and the token's debug log were there
            assertThat(commandsTraced).as("APDU commands traced at -vv").isPositive();
            assertThat(responsesTraced).as("token responses traced at -vv").isPositive();
            assertThat(redacted).as("redacted keys and proofs in the traces").isPositive();
            assertThat(simLogLines).as("simulator debug lines").isPositive();
            int files = 0;
            long fileBytes = 0;
            for (Path root : List.of(home, tmp, cwd, out, state)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path f : walk.filter(Files::isRegularFile).toList()) {
                        if (exempt.contains(f)) {
                            continue;
                        }
                        byte[] content = Files.readAllBytes(f);
                        hits.addAll(scanner.scan(dir.relativize(f).toString(), content));
                        files++;
                        fileBytes += content.length;
                    }
                }
            }
            String counts = String.format(Locale.ROOT,
                    "%d accounts, %d secrets searched, %d host commands (-vv %d, -v %d), %d simulators,"
                            + " %d streams (%,d bytes; %d APDU commands and %d responses traced, %d redactions,"
                            + " %d simulator debug lines), %d files (%,d bytes), hits %d",
                    accounts, scanner.secrets(), commands, verbosity.getOrDefault("-vv", 0),
                    verbosity.getOrDefault("-v", 0), sims.size(), streams.size(), bytes, commandsTraced,
                    responsesTraced, redacted, simLogLines, files, fileBytes, hits.size());
            SUMMARY.put(test, counts);
            System.out.println("secret audit " + test + ": " + counts);
            assertThat(hits).as("secrets found (place, offset, secret, form)").isEmpty();
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    /** The arguments for a label: URIs are secrets, so they are shown by kind only. */
    static String masked(String... args) {
        List<String> shown = new ArrayList<>();
        for (String a : args) {
            shown.add(a.startsWith("otpauth") ? "<URI>" : a.startsWith("/") ? Path.of(a).getFileName().toString() : a);
        }
        return String.join(" ", shown);
    }

    record Run(String label, int status, byte[] out, byte[] err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        String errText() {
            return new String(err, StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code bin/otptoken-sim --pty --headless -vv}, every byte of its output kept. Presses its
     * own button whenever the token waits for a touch.
     */
    static final class AuditSim implements AutoCloseable {
        final String name;
        final Process process;
        final String port;
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final java.util.concurrent.atomic.AtomicInteger touches = new java.util.concurrent.atomic.AtomicInteger();
        private final CountDownLatch attached = new CountDownLatch(1);
        private volatile String attachedPort;
        private final Thread outReader;
        private final Thread errReader;
        private boolean closed;

        AuditSim(Audit audit, String name, List<String> extra) throws Exception {
            this.name = name;
            List<String> cmd = new ArrayList<>(List.of(Launchers.sim().toString(), "--pty", "--headless", "-vv"));
            cmd.addAll(extra);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(audit.cwd.toFile());
            pb.environment().putAll(audit.env);
            process = pb.start();
            outReader = new Thread(() -> pump(process.getInputStream(), stdout, true), "sim-" + name + "-out");
            errReader = new Thread(() -> pump(process.getErrorStream(), stderr, false), "sim-" + name + "-err");
            outReader.setDaemon(true);
            errReader.setDaemon(true);
            outReader.start();
            errReader.start();
            if (!attached.await(SIM_START_SECONDS, TimeUnit.SECONDS) || attachedPort == null) {
                process.destroyForcibly();
                throw new AssertionError("simulator " + name + " did not attach");
            }
            port = attachedPort;
        }

        private void pump(InputStream in, ByteArrayOutputStream into, boolean lines) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    synchronized (into) {
                        into.write(buf, 0, n);
                    }
                    if (!lines) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != '\n') {
                            line.write(buf[i]);
                            continue;
                        }
                        onLine(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    }
                }
            } catch (IOException gone) {
                // the simulator stopped
            } finally {
                attached.countDown();
            }
        }

        private void onLine(String l) throws IOException {
            if (attachedPort == null && l.startsWith(ATTACHED)) {
                attachedPort = l.substring(ATTACHED.length()).strip();
                attached.countDown();
            } else if (l.startsWith(TOUCH_WAITING)) {
                touches.incrementAndGet();
                synchronized (process) {
                    process.getOutputStream().write("press\n".getBytes(StandardCharsets.US_ASCII));
                    process.getOutputStream().flush();
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                synchronized (process) {
                    process.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
                    process.getOutputStream().flush();
                }
            } catch (IOException gone) {
                // already stopped
            }
            try {
                if (!process.waitFor(SIM_STOP_SECONDS, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(SIM_STOP_SECONDS, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(SIM_STOP_SECONDS, TimeUnit.SECONDS);
                    }
                }
                outReader.join(TimeUnit.SECONDS.toMillis(SIM_STOP_SECONDS));
                errReader.join(TimeUnit.SECONDS.toMillis(SIM_STOP_SECONDS));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ checks shared by the tests

    /** The salt of the token's password key: the name tag of its SELECT response, from the -vv trace. */
    static byte[] saltFromTrace(Run r) {
        Matcher m = SELECT_SALT.matcher(r.errText());
        assertThat(m.find()).as("a SELECT response in the -vv trace of %s", r.label).isTrue();
        return HexFormat.of().parseHex(m.group(1).replace(" ", ""));
    }

    static String codeOf(Run r) {
        Matcher m = CODE_LINE.matcher(r.outText());
        assertThat(m.find()).as("a code in the output of %s", r.label).isTrue();
        return m.group(1);
    }

    /**
     * An exempt file: owner-only, and holding every secret expected in it (which proves the
     * scanned secrets are the ones the host actually wrote).
     */
    void checkExempt(Path file, List<Acct> mustHold, String what) throws IOException {
        checkExempt(file, mustHold, Map.of(), what);
    }

    /**
     * An exempt file as above, which must also hold no 8-byte slice, in any form, of a key that
     * was removed from it ({@code removed}: label → key bytes): deleted accounts, a reset, a
     * password changed or cleared.
     */
    void checkExempt(Path file, List<Acct> mustHold, Map<String, byte[]> removed, String what) throws IOException {
        assertThat(file).as(what + " written").isRegularFile();
        assertThat(Files.getPosixFilePermissions(file)).as(what + " mode").isEqualTo(OWNER_ONLY);
        byte[] content = Files.readAllBytes(file);
        for (Acct a : mustHold) {
            SecretScanner one = new SecretScanner().secret(a.toString(), a.key);
            assertThat(one.scan(what, content)).as("%s holds the key of %s", what, a).isNotEmpty();
        }
        SecretScanner gone = new SecretScanner();
        removed.forEach(gone::secret);
        assertThat(gone.scan(what, content)).as("%s holds a removed key (place, offset, secret, form)", what).isEmpty();
        SUMMARY.put("exempt " + what, String.format(Locale.ROOT,
                "%s, mode %s, %,d bytes, holds all %d keys checked, none of %d removed keys",
                dir.relativize(file), PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                content.length, mustHold.size(), removed.size()));
    }

    /** Label → key, for {@link #checkExempt(Path, List, Map, String)}. */
    static Map<String, byte[]> removed(List<Acct> accounts, Map<String, byte[]> passwordKeys) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (Acct a : accounts) {
            m.put(a.toString(), a.key);
        }
        m.putAll(passwordKeys);
        return m;
    }

    // ------------------------------------------------------------------ the tests

    /**
     * Over the serial line: one image, several images (qrencode and {@code qr encode}), an
     * otpauth URI, two migration exports (as URI and as image), backups, touch, password set/
     * change/clear with a password on standard input, every account command with and without
     * {@code --json}, refused inputs (whose messages and {@code -vv} stack traces must not leak),
     * drift, reset, and the demo.
     */
    @Test
    void serialLineAndFilesHoldNoSecret() throws Exception {
        Processes.requireTool("qrencode");
        Keys keys = new Keys(1);
        Audit audit = new Audit();
        Acct s1 = audit.account(new Acct("Audit", "one-image", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        Acct s2 = audit.account(new Acct("Audit", "many-sha256", Kind.TOTP, "SHA256", 8, 60, keys.bytes(32)));
        Acct s3 = audit.account(new Acct("Audit", "many-hotp512", Kind.HOTP, "SHA512", 8, 5, keys.bytes(64)));
        Acct s4 = audit.account(new Acct("Audit", "qr-encoded", Kind.TOTP, "SHA512", 6, 30, keys.bytes(64)));
        Acct s5 = audit.account(new Acct("Audit", "uri-hotp", Kind.HOTP, "SHA1", 6, 0, keys.bytes(20)));
        Acct s6 = audit.account(new Acct("Mig", "std-totp1", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        Acct s7 = audit.account(new Acct("Mig", "std-hotp256", Kind.HOTP, "SHA256", 8, 3, keys.bytes(32)));
        Acct s8 = audit.account(new Acct("Mig", "std-totp512", Kind.TOTP, "SHA512", 8, 30, keys.bytes(64)));
        Acct md5 = audit.account(new Acct("Mig", "md5-skipped", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        Acct s9 = audit.account(new Acct("Mig", "url-totp256", Kind.TOTP, "SHA256", 6, 30, keys.bytes(32)));
        Acct s10 = audit.account(new Acct("Mig", "url-hotp1", Kind.HOTP, "SHA1", 6, 9, keys.bytes(20)));
        Acct s11 = audit.account(new Acct("Backup", "uri", Kind.TOTP, "SHA1", 8, 30, keys.bytes(20)));
        Acct s12 = audit.account(new Acct("Backup", "image", Kind.TOTP, "SHA256", 6, 30, keys.bytes(32)));
        Acct s13 = audit.account(new Acct("Touch", "totp", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        Acct bad = audit.account(new Acct("Refused", "nine-digits", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        Acct s16 = audit.account(new Acct("Locked", "sha512", Kind.TOTP, "SHA512", 8, 60, keys.bytes(64)));
        Acct s17 = audit.account(new Acct("Drift", "watched", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        String p1 = keys.password();
        String p2 = keys.password();
        audit.password("password 1", p1);
        audit.password("password 2", p2);
        Path stateA = audit.state.resolve("token-a.state");
        audit.exempt.add(stateA);
        Path stateB = audit.state.resolve("token-b.state");
        audit.exempt.add(stateB);
        Path driftRecord = audit.home.resolve(".local/state/otptoken/drift");
        audit.exempt.add(driftRecord);

        byte[] mig1 = migrationPayload(List.of(s6, s7, s8, md5), java.util.Arrays.asList(null, null, null, MIG_ALG_MD5));
        byte[] mig2 = migrationPayload(List.of(s9, s10), java.util.Arrays.asList(null, null));
        audit.scanner.text("migration export 1 (Base64)", Base64.getEncoder().encodeToString(mig1));
        audit.scanner.text("migration export 2 (Base64)", Base64.getUrlEncoder().withoutPadding().encodeToString(mig2));

        Path img1 = Launchers.qrencode(audit.inputs.resolve("one.png"), s1.uri());
        Path img2 = Launchers.qrencode(audit.inputs.resolve("two.png"), s2.uri());
        Path img3 = Launchers.qrencode(audit.inputs.resolve("three.png"), s3.uri());
        Path imgMig2 = Launchers.qrencode(audit.inputs.resolve("export.png"), migrationUriUrlSafe(mig2));
        Path img12 = Launchers.qrencode(audit.inputs.resolve("backup.png"), s12.uri());

        AuditSim a = audit.sim("A", "--state", stateA.toString(), "--serial", "7001");
        AuditSim b = audit.sim("B", "--state", stateB.toString(), "--serial", "7002");
        String pa = a.port;
        String pb = b.port;

        // provisioning, every way
        Run first = audit.ok(null, "--port", pa, "-vv", "provision", img1.toString());
        byte[] salt = saltFromTrace(first);
        Path img4 = audit.out.resolve("qr-encoded.png");
        audit.ok(null, "-vv", "qr", "encode", "--uri", s4.uri(), "--out", img4.toString());
        audit.ok(null, "--port", pa, "-vv", "provision", img2.toString(), img3.toString(), img4.toString());
        audit.ok(null, "--port", pa, "-vv", "--json", "provision", "--uri", s5.uri());
        Run mig = audit.ok(null, "--port", pa, "-vv", "provision", "--uri", migrationUriStd(mig1));
        assertThat(mig.errText()).contains("skipped");
        audit.ok(null, "--port", pa, "-v", "provision", imgMig2.toString());
        audit.ok(null, "--port", pa, "-vv", "provision", "--backup", pb, "--uri", s11.uri());
        audit.ok(null, "--port", pa, "-vv", "provision", "--backup", pb, img12.toString());
        audit.ok(null, "--port", pa, "-vv", "provision", "--touch", "--uri", s13.uri());
        assertThat(a.touches.get()).as("touches pressed").isPositive();

        // refused input carrying real secrets: the messages and -vv stack traces
        audit.fails(ExitStatus.BAD_INPUT, null, "--port", pa, "-vv", "provision", "--uri",
                bad.uri().replace("digits=6", "digits=9"));
        audit.fails(ExitStatus.BAD_INPUT, null, "--port", pa, "-vv", "provision", "--uri",
                bad.uri().replace("algorithm=SHA1", "algorithm=MD5"));
        audit.fails(ExitStatus.BAD_INPUT, null, "--port", pa, "-vv", "provision", "--uri", s1.uri());
        audit.fails(ExitStatus.BAD_INPUT, null, "--port", pa, "-vv", "provision", "--uri",
                migrationUriStd(migrationPayload(List.of(md5), java.util.Arrays.asList(MIG_ALG_MD5))));
        audit.fails(ExitStatus.BAD_INPUT, null, "-vv", "qr", "encode", "--uri", bad.uri().replace("secret=", "secret=1"),
                "--out", audit.out.resolve("refused.png").toString());

        // reading QR images back, masked
        audit.ok(null, "-vv", "qr", "decode", img1.toString(), img2.toString(), img3.toString(), img4.toString(),
                imgMig2.toString(), img12.toString());
        audit.ok(null, "-v", "qr", "decode", imgMig2.toString());
        audit.ok(null, "qr", "decode", img4.toString());

        // every command that handles the accounts, text and JSON, -vv and -v
        for (String v : List.of("-vv", "-v")) {
            audit.ok(null, "--port", pa, v, "list");
            audit.ok(null, "--port", pa, v, "--json", "list");
            audit.ok(null, "--port", pa, v, "code");
            audit.ok(null, "--port", pa, v, "--json", "code");
            audit.ok(null, "--port", pa, v, "info");
            audit.ok(null, "--port", pa, v, "--json", "info");
            audit.ok(null, "--port", pa, v, "clock");
            audit.ok(null, "--port", pa, v, "--json", "clock");
        }
        audit.ok(null, "--port", pa, "-vv", "code", s3.label());
        audit.ok(null, "--port", pa, "-vv", "code", "--token-clock", s8.label());
        audit.ok(null, "--port", pa, "-vv", "rename", s5.label(), "Audit:renamed");
        audit.ok(null, "--port", pa, "-vv", "delete", s10.label());
        audit.ok(null, "--port", pb, "-vv", "--json", "list");
        audit.ok(null, "--port", pb, "-vv", "code");

        // password: set, use, change, clear; the password and its PBKDF2 key are secrets too
        byte[] k1 = pbkdf2(p1, salt);
        byte[] k2 = pbkdf2(p2, salt);
        audit.scanner.secret("PBKDF2 key of password 1", k1);
        audit.scanner.secret("PBKDF2 key of password 2", k2);
        audit.ok(p1 + "\n", "--port", pa, "-vv", "password", "set", "--password-stdin");
        audit.fails(ExitStatus.PASSWORD, null, "--port", pa, "-vv", "list");
        audit.fails(ExitStatus.PASSWORD, "wrong-password\n", "--port", pa, "-vv", "list", "--password-stdin");
        audit.ok(p1 + "\n", "--port", pa, "-vv", "password", "unlock", "--password-stdin");
        audit.ok(p1 + "\n", "--port", pa, "-vv", "provision", "--password-stdin", "--uri", s16.uri());
        audit.ok(p1 + "\n", "--port", pa, "-vv", "list", "--password-stdin");
        audit.ok(p1 + "\n", "--port", pa, "-vv", "--json", "code", "--password-stdin");
        audit.ok(p1 + "\n", "--port", pa, "-v", "code", "--password-stdin");
        audit.ok(p1 + "\n" + p2 + "\n", "--port", pa, "-vv", "password", "set", "--password-stdin");
        audit.ok(p2 + "\n", "--port", pa, "-vv", "code", "--password-stdin");
        audit.ok(p2 + "\n", "--port", pa, "-vv", "password", "clear", "--password-stdin");

        // drift: the relying party's record of a seed, from codes the token shows
        audit.ok(null, "--port", pa, "-vv", "provision", "--uri", s17.uri());
        audit.ok(s17.uri() + "\n", "-vv", "drift", "init", "--uri-stdin");
        String code = codeOf(audit.ok(null, "--port", pa, "-vv", "code", s17.label()));
        audit.ok(null, "-vv", "drift", "observe", "--code", code);
        audit.ok(null, "-vv", "--json", "drift", "show");
        audit.ok(null, "-vv", "drift", "show");
        audit.ok(null, "-vv", "--json", "drift", "predict");
        audit.ok(null, "-v", "drift", "predict");

        // the backup token: its clock set, then wiped
        audit.ok(null, "--port", pb, "-vv", "clock", "sync");
        audit.ok(null, "--port", pb, "-vv", "reset", "--force");
        audit.ok(null, "--port", pb, "-vv", "list");
        // the last change to token A: a delete (its journal would keep the old bytes)
        audit.ok(null, "--port", pa, "-vv", "delete", s1.label());

        // the demo: its secret is random, so its output is also searched for anything key-like
        Run demo = audit.ok(null, "-vv", "demo");
        Run demoV = audit.ok(null, "-v", "demo");
        for (Run r : List.of(demo, demoV)) {
            assertThat(r.outText() + r.errText()).as(r.label).doesNotContainPattern(SECRET_LIKE);
        }

        audit.scanEverything("serial");
        checkExempt(stateA, List.of(s2, s3, s4, s5, s6, s7, s8, s9, s11, s12, s13, s16, s17),
                removed(List.of(s1, s10), Map.of("PBKDF2 key of password 1", k1, "PBKDF2 key of password 2", k2)),
                "token A --state file");
        checkExempt(stateB, List.of(), removed(List.of(s11, s12), Map.of()), "token B --state file (reset)");
        checkExempt(driftRecord, List.of(s17), "drift record");
        assertThat(Files.getPosixFilePermissions(driftRecord.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    /** Over PC/SC (vpcd): the same ways and commands, with a serial token as the backup. */
    @Test
    void pcscReaderHoldsNoSecret() throws Exception {
        Processes.requireTool("qrencode");
        PrivatePcsc pcsc = requireReader();
        Keys keys = new Keys(2);
        Audit audit = new Audit();
        Acct s21 = audit.account(new Acct("Reader", "uri-sha256", Kind.TOTP, "SHA256", 8, 60, keys.bytes(32)));
        Acct s22 = audit.account(new Acct("Reader", "image-hotp", Kind.HOTP, "SHA1", 6, 2, keys.bytes(20)));
        Acct s23 = audit.account(new Acct("ReaderMig", "totp1", Kind.TOTP, "SHA1", 6, 30, keys.bytes(20)));
        Acct s24 = audit.account(new Acct("ReaderMig", "hotp512", Kind.HOTP, "SHA512", 8, 1, keys.bytes(64)));
        Acct s25 = audit.account(new Acct("Reader", "touch512", Kind.TOTP, "SHA512", 6, 30, keys.bytes(64)));
        Acct s26 = audit.account(new Acct("Reader", "with-backup", Kind.TOTP, "SHA1", 8, 30, keys.bytes(20)));
        Acct s27 = audit.account(new Acct("Reader", "locked", Kind.HOTP, "SHA256", 6, 0, keys.bytes(32)));
        String p3 = keys.password();
        audit.password("password 3", p3);
        byte[] mig3 = migrationPayload(List.of(s23, s24), java.util.Arrays.asList(null, null));
        audit.scanner.text("migration export 3 (Base64)", Base64.getEncoder().encodeToString(mig3));
        Path stateC = audit.state.resolve("token-c.state");
        audit.exempt.add(stateC);
        Path stateD = audit.state.resolve("token-d.state");
        audit.exempt.add(stateD);

        Path img22 = Launchers.qrencode(audit.inputs.resolve("hotp.png"), s22.uri());
        Path imgMig3 = Launchers.qrencode(audit.inputs.resolve("export.png"), migrationUriStd(mig3));

        AuditSim c = audit.sim("C", "--state", stateC.toString(), "--vpcd", pcsc.vpcdAddress(), "--serial", "7003");
        AuditSim d = audit.sim("D", "--state", stateD.toString(), "--serial", "7004");
        awaitCard(audit);

        Run first = audit.ok(null, "--reader", READER, "-vv", "provision", "--uri", s21.uri());
        byte[] salt = saltFromTrace(first);
        audit.ok(null, "--reader", READER, "-vv", "provision", img22.toString());
        audit.ok(null, "--reader", READER, "-v", "provision", imgMig3.toString());
        audit.ok(null, "--reader", READER, "-vv", "provision", "--touch", "--uri", s25.uri());
        assertThat(c.touches.get()).as("touches pressed").isPositive();
        audit.ok(null, "--reader", READER, "-vv", "provision", "--backup", d.port, "--uri", s26.uri());
        audit.fails(ExitStatus.BAD_INPUT, null, "--reader", READER, "-vv", "provision", "--uri", s21.uri());

        for (String v : List.of("-vv", "-v")) {
            audit.ok(null, "--reader", READER, v, "list");
            audit.ok(null, "--reader", READER, v, "--json", "list");
            audit.ok(null, "--reader", READER, v, "code");
            audit.ok(null, "--reader", READER, v, "--json", "code");
            audit.ok(null, "--reader", READER, v, "info");
            audit.ok(null, "--reader", READER, v, "--json", "info");
        }
        audit.ok(null, "--reader", READER, "-vv", "code", s24.label());
        audit.ok(null, "--reader", READER, "-vv", "rename", s23.label(), "ReaderMig:renamed");
        audit.ok(null, "--reader", READER, "-vv", "delete", s22.label());

        byte[] k3 = pbkdf2(p3, salt);
        audit.scanner.secret("PBKDF2 key of password 3", k3);
        audit.ok(p3 + "\n", "--reader", READER, "-vv", "password", "set", "--password-stdin");
        audit.fails(ExitStatus.PASSWORD, null, "--reader", READER, "-vv", "code");
        audit.ok(p3 + "\n", "--reader", READER, "-vv", "password", "unlock", "--password-stdin");
        audit.ok(p3 + "\n", "--reader", READER, "-vv", "provision", "--password-stdin", "--uri", s27.uri());
        audit.ok(p3 + "\n", "--reader", READER, "-vv", "--json", "code", "--password-stdin");
        audit.ok(p3 + "\n", "--reader", READER, "-vv", "list", "--password-stdin");
        audit.ok(p3 + "\n", "--reader", READER, "-vv", "password", "clear", "--password-stdin");

        audit.ok(null, "--port", d.port, "-vv", "--json", "list");
        audit.ok(null, "--port", d.port, "-vv", "reset", "--force");

        audit.scanEverything("pcsc");
        checkExempt(stateC, List.of(s21, s23, s24, s25, s26, s27),
                removed(List.of(s22), Map.of("PBKDF2 key of password 3", k3)), "token C --state file");
        checkExempt(stateD, List.of(), removed(List.of(s26), Map.of()), "token D --state file (reset)");
    }

    /** The scan can fail: each form of a secret planted in a scratch trace is found. */
    @Test
    void theScannerFindsEveryForm() throws Exception {
        Keys keys = new Keys(3);
        byte[] k20 = keys.bytes(20);
        byte[] k32 = keys.bytes(32);
        byte[] k64 = keys.bytes(64);
        String password = keys.password();
        byte[] salt = keys.bytes(8);
        byte[] derived = pbkdf2(password, salt);
        HexFormat spaced = HexFormat.ofDelimiter(" ");
        Acct a = new Acct("Plant", "k32", Kind.TOTP, "SHA256", 8, 30, k32);
        byte[] payload = migrationPayload(List.of(new Acct("Plant", "k20", Kind.TOTP, "SHA1", 6, 30, k20),
                new Acct("Plant", "k64", Kind.HOTP, "SHA512", 8, 4, k64)), java.util.Arrays.asList(null, null));
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("hex lower", HexFormat.of().formatHex(k32));
        forms.put("hex upper", HexFormat.of().withUpperCase().formatHex(k32));
        forms.put("hex spaced upper", spaced.withUpperCase().formatHex(k32));
        forms.put("hex spaced lower", spaced.formatHex(k32));
        forms.put("hex colons", HexFormat.ofDelimiter(":").formatHex(k32));
        forms.put("Base32 upper", base32(k32, false));
        forms.put("Base32 lower", base32(k32, false).toLowerCase(Locale.ROOT));
        forms.put("Base32 padded", base32(k32, true));
        forms.put("Base32 space-grouped", base32(k32, false).toLowerCase(Locale.ROOT).replaceAll("(.{4})", "$1 "));
        forms.put("otpauth URI", a.uri());
        forms.put("secret= value URL-encoded", "secret=" + URLEncoder.encode(base32(k32, true), StandardCharsets.UTF_8));
        forms.put("URI URL-encoded", URLEncoder.encode(a.uri(), StandardCharsets.UTF_8));
        forms.put("Base64", Base64.getEncoder().encodeToString(k32));
        forms.put("Base64 URL-safe", Base64.getUrlEncoder().withoutPadding().encodeToString(k32));
        forms.put("migration URI (Base64 std, percent-encoded)", migrationUriStd(payload));
        forms.put("migration URI (Base64 URL-safe)", migrationUriUrlSafe(payload));
        forms.put("password", password);
        forms.put("password upper case", password.toUpperCase(Locale.ROOT));
        forms.put("PBKDF2 key hex", spaced.withUpperCase().formatHex(derived));
        forms.put("PBKDF2 key Base64", Base64.getEncoder().encodeToString(derived));
        forms.put("Arrays.toString", java.util.Arrays.toString(k32));
        forms.put("8 bytes of the 64-byte key, hex", HexFormat.of().formatHex(k64, 30, 38));
        String before = "otptoken: TRACE: > 00 01 00 00 1D 71 03 41 3A 62 73 16 21 06 <20 bytes redacted>\nvalue: ";
        String after = "\notptoken: TRACE: < 90 00\n";
        SecretScanner scanner = new SecretScanner().secret("k20", k20).secret("k32", k32).secret("k64", k64)
                .text("password", password).secret("password bytes", password.getBytes(StandardCharsets.UTF_8))
                .secret("derived", derived);
        assertThat(scanner.scan("clean", (before + after).getBytes(StandardCharsets.UTF_8))).isEmpty();
        int found = 0;
        for (Map.Entry<String, String> f : forms.entrySet()) {
            byte[] scratch = (before + f.getValue() + after).getBytes(StandardCharsets.UTF_8);
            List<SecretScanner.Hit> hits = scanner.scan(f.getKey(), scratch);
            assertThat(hits).as(f.getKey()).isNotEmpty();
            assertThat(hits.get(0).offset()).as(f.getKey() + " offset").isBetween((long) before.length() - 40,
                    (long) scratch.length);
            assertThat(hits.get(0).toString()).as("a hit never shows the secret")
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(k32)).doesNotContain(base32(k32, false));
            found++;
        }
        byte[] raw = new byte[before.length() + k64.length];
        System.arraycopy(before.getBytes(StandardCharsets.ISO_8859_1), 0, raw, 0, before.length());
        System.arraycopy(k64, 0, raw, before.length(), k64.length);
        List<SecretScanner.Hit> rawHits = scanner.scan("raw", raw);
        assertThat(rawHits).extracting(SecretScanner.Hit::offset).contains((long) before.length());
        found++;
        SUMMARY.put("self-test", found + " forms planted, " + found + " found; clean scratch: 0 hits");
    }

    // ------------------------------------------------------------------ PC/SC helpers

    /** The tests' own pcscd with its vpcd readers; skips locally without pcscd, vpcd or ykman, fails under CI. */
    private static PrivatePcsc requireReader() throws Exception {
        Processes.requireTool("ykman");
        PrivatePcsc pcsc = PrivatePcsc.shared();
        Processes.Result r = Processes.run(List.of("ykman", "list", "--readers"), Map.of(), null);
        assertThat(r.outLines()).as("ykman sees the tests' own reader " + READER).contains(READER);
        return pcsc;
    }

    /** pcscd notices the new card within about a second; the host's own {@code info}, answered steadily, tells when. */
    private static void awaitCard(Audit audit) throws Exception {
        int steady = 0;
        for (int i = 0; i < CARD_WAIT_ATTEMPTS; i++) {
            steady = audit.host(null, "--reader", READER, "info").status == ExitStatus.OK ? steady + 1 : 0;
            if (steady == CARD_STEADY) {
                return;
            }
            Thread.sleep(CARD_WAIT_MILLIS);
        }
        throw new AssertionError("the host never saw the card in " + READER);
    }
}
