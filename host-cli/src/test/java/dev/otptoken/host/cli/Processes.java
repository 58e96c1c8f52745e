package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Ci;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Child processes for end-to-end tests: the simulated token, the host CLI, reference tools. */
public final class Processes {
    private Processes() {
    }

    /** The test class path (failsafe passes it in a manifest-only jar, and names it here). */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Skips unless under CI (where the tool must be there). */
    public static void requireTool(String tool) {
        Ci.requireTool(tool);
    }

    /** What a finished process said. */
    public record Result(int status, String out, String err) {
        public List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        public List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    /** Runs {@code otptoken ARGS} as a child JVM. */
    public static Result host(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", classPath(), "dev.otptoken.host.cli.HostMain"));
        cmd.addAll(List.of(args));
        return run(cmd, env, stdin);
    }

    public static Result run(List<String> cmd, Map<String, String> env, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove(HostMain.PORT_VARIABLE);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("otptoken-out", ".txt");
        Path err = Files.createTempFile("otptoken-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** A simulated token on a fresh pseudo-terminal, headless. */
    public static final class Sim implements AutoCloseable {
        public final Process process;
        public final String port;
        private final BufferedReader stdout;

        public Sim(String... extra) throws IOException {
            this(simMain(extra));
        }

        /** A simulator started by {@code cmd} (for example through the launcher), which must be headless. */
        public Sim(List<String> cmd) throws IOException {
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertThat(line).as("simulator's first line").isNotNull().startsWith("attached: ");
            port = line.substring("attached: ".length()).trim();
            Thread reader = new Thread(this::drain, "sim-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private static List<String> simMain(String... extra) {
            List<String> cmd = new ArrayList<>(List.of(java(), "-cp", classPath(), "dev.otptoken.firmware.sim.SimMain",
                    "--pty", "--headless"));
            cmd.addAll(List.of(extra));
            return cmd;
        }

        /** Presses the button by itself whenever the token waits for a touch. */
        volatile boolean autoPress;
        final java.util.concurrent.atomic.AtomicInteger touches = new java.util.concurrent.atomic.AtomicInteger();

        private void drain() {
            try {
                for (String l = stdout.readLine(); l != null; l = stdout.readLine()) {
                    if (l.startsWith("touch: waiting")) {
                        touches.incrementAndGet();
                        if (autoPress) {
                            press();
                        }
                    }
                }
            } catch (IOException closed) {
                // the simulator stopped
            }
        }

        /** Presses the button (for touch accounts). */
        public void press() throws IOException {
            process.getOutputStream().write("press\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        }

        @Override
        public void close() throws IOException {
            try {
                process.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
                process.getOutputStream().flush();
            } catch (IOException gone) {
                // already stopped
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
