package dev.otptoken.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Ci;
import dev.otptoken.testing.PrivatePcsc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Child processes for the contactless end-to-end tests: ykman, oathtool, the host CLI. Every
 * process is bounded in time and killed when it overstays, so a hung ykman cannot hang the build.
 */
final class Commands {
    /** The vpcd reader of the tests' own PC/SC stack, where {@link VpcdSim} puts its card. */
    static final String READER = PrivatePcsc.READER;
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final String CI = "CI";

    private Commands() {
    }

    /** What a finished process said. */
    record Result(int status, String out, String err) {
        List<String> outLines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        }
    }

    /** Skips unless under CI (where the tool must be there, and its absence fails the test). */
    static void requireTool(String tool) {
        Ci.requireTool(tool);
    }

    /**
     * The tests' own pcscd with its vpcd readers ({@link PrivatePcsc}), started on first use, and
     * ykman to talk to it. Skips locally when pcscd, vpcd or ykman is missing; fails under CI.
     */
    static PrivatePcsc requireReader() throws Exception {
        requireTool("ykman");
        PrivatePcsc pcsc = PrivatePcsc.shared();
        Result r = run(List.of("ykman", "list", "--readers"), Map.of(), null);
        assertThat(r.outLines()).as("ykman sees the tests' own reader %s: %s; pcscd said: %s", READER, r.err(),
                Files.readString(pcsc.log(), StandardCharsets.UTF_8)).contains(READER);
        return pcsc;
    }

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code ykman --reader "Virtual PCD 00 00" ARGS}, standard input closed. */
    static Result ykman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ykman", "--reader", READER));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of(), null);
    }

    /** {@code ykman ...} that must succeed; returns its output lines. */
    static List<String> ykmanOk(String... args) throws Exception {
        Result r = ykman(args);
        assertThat(r.status()).as("ykman %s: %s", String.join(" ", args), r.err()).isZero();
        return r.outLines();
    }

    /** {@code otptoken ARGS} as a child JVM (the host CLI from the test class path). */
    static Result host(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", classPath(), "dev.otptoken.host.cli.HostMain"));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of(), stdin);
    }

    static List<String> hostOk(String... args) throws Exception {
        Result r = host(null, args);
        assertThat(r.status()).as("otptoken %s: %s", String.join(" ", args), r.err()).isZero();
        return r.outLines();
    }

    /** {@code NAME  CODE} lines (ykman's and the host's) as a map; the names must hold no spaces. */
    static Map<String, String> codes(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            String[] parts = l.strip().split("\\s+");
            m.put(parts[0], parts[parts.length - 1]);
        }
        return m;
    }

    /** oathtool's code; {@code args} as oathtool takes them. */
    static String oathtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("oathtool"));
        cmd.addAll(List.of(args));
        Result r = run(cmd, Map.of(), null);
        assertThat(r.status()).as("oathtool %s: %s", cmd, r.err()).isZero();
        return r.out().strip();
    }

    /** The TOTP code oathtool gives for time step {@code step}. */
    static String totp(String base32, String alg, int digits, int period, long step) throws Exception {
        return oathtool("--totp=" + alg.toLowerCase(Locale.ROOT), "-d", Integer.toString(digits),
                "-s", period + "s", "--now", "@" + step * period, "-b", base32);
    }

    /**
     * The HOTP code for {@code counter}. oathtool's {@code --hotp} knows only SHA-1; HOTP with
     * another hash is the TOTP of the time whose step is the counter (RFC 6238 §4.2, T0 = 0),
     * which oathtool computes for any hash.
     */
    static String hotp(String base32, String alg, int digits, long counter) throws Exception {
        return totp(base32, alg, digits, 30, counter);
    }

    static Result run(List<String> cmd, Map<String, String> env, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("OTPTOKEN_PORT");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("otptoken-it-out", ".txt");
        Path err = Files.createTempFile("otptoken-it-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try {
                try (var in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("timed out: " + cmd);
                }
            } finally {
                stop(p);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Kills {@code p} if it is still running and waits for it to be gone. */
    static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
