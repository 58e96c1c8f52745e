package dev.otptoken.host.cli;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The programs as a user starts them: {@code bin/otptoken} and {@code bin/otptoken-sim} of this
 * repository. Failsafe runs after {@code package}, so the launchers find their jars and do
 * not build.
 */
public final class Launchers {
    private Launchers() {
    }

    /** The repository: the parent of this module's base directory (failsafe's working directory). */
    public static Path root() {
        Path basedir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = basedir.getParent();
        assertThat(root.resolve("bin/otptoken")).as("launcher under " + root).isExecutable();
        return root;
    }

    public static Path host() {
        return root().resolve("bin/otptoken");
    }

    public static Path sim() {
        return root().resolve("bin/otptoken-sim");
    }

    /** {@code bin/otptoken ARGS} with {@code env} added (no {@code OTPTOKEN_PORT} unless given). */
    public static Result otptoken(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(host().toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, stdin);
    }

    /** {@code bin/otptoken-sim --pty --headless EXTRA}. */
    public static Sim startSim(String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(sim().toString(), "--pty", "--headless"));
        cmd.addAll(List.of(extra));
        return new Sim(cmd);
    }

    public static Map<String, String> port(Sim sim) {
        return Map.of(HostMain.PORT_VARIABLE, sim.port);
    }

    /** Makes a PNG of {@code text} with qrencode. */
    public static Path qrencode(Path png, String text) throws Exception {
        Result r = Processes.run(List.of("qrencode", "-o", png.toString(), text), Map.of(), null);
        assertThat(r.status()).as("qrencode: " + r.err()).isZero();
        assertThat(Files.size(png)).isPositive();
        return png;
    }

    public static String oathtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("oathtool"));
        cmd.addAll(List.of(args));
        Result r = Processes.run(cmd, Map.of(), null);
        assertThat(r.status()).as("oathtool %s: %s", cmd, r.err()).isZero();
        return r.out().trim();
    }

    /** The time steps of {@code periods} at one instant: equal before and after means no boundary crossed. */
    public static List<Long> steps(int... periods) {
        long now = Instant.now().getEpochSecond();
        List<Long> steps = new ArrayList<>();
        for (int p : periods) {
            steps.add(now / p);
        }
        return steps;
    }
}
