package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.oathtool;
import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start of {@code bin/otptoken} loads (docs/performance.md, "Start-up"), read from the
 * JVM's own class-loading log: a code listing without {@code -v} never initialises tinylog
 * (its messages below warn go nowhere, and jssc's loader logs at debug through SLF4J), while
 * {@code -vv} still writes the APDU trace and not the loader's debug lines; picocli, compiled
 * for Java 17 by the build, comes from the class-data archive; {@code --version} alone builds
 * no parser.
 */
class StartupLoadingIT {
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    /** Loaded when tinylog starts: the registry of its logging providers (an interface of its API is not). */
    private static final String TINYLOG_STARTED = " org.tinylog.provider.ProviderRegistry ";

    @TempDir
    Path dir;

    private Result logged(Map<String, String> base, Path log, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(base);
        env.put("OTPTOKEN_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        return otptoken(env, null, args);
    }

    private static List<String> loaded(Path log) throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    @Test
    void aCodeWithoutVerboseLeavesTinylogUnloadedAndWithVerboseTracesTheApdus() throws Exception {
        try (Sim sim = startSim()) {
            Map<String, String> env = port(sim);
            Result added = otptoken(env, B32 + "\n", "add", "--secret-stdin", "Example:alice");
            assertThat(added.status()).as(added.err()).isZero();

            Path quiet = dir.resolve("quiet.log");
            Result code = logged(env, quiet, "code", "-s", "alice");
            assertThat(code.status()).as(code.err()).isZero();
            long now = java.time.Instant.now().getEpochSecond();
            assertThat(code.out().strip()).as("a code of the step before, of or after now")
                    .isIn(oathtool("--totp", "-b", "-N", "@" + (now - 30), "-w", "2", B32).lines().toList());
            assertThat(loaded(quiet)).as("classes loaded by a plain code")
                    .anyMatch(l -> l.contains(" jssc.SerialPort "))
                    .noneMatch(l -> l.contains(TINYLOG_STARTED));

            Path verbose = dir.resolve("verbose.log");
            Result traced = logged(env, verbose, "-vv", "code", "-s", "alice");
            assertThat(traced.status()).as(traced.err()).isZero();
            assertThat(loaded(verbose)).anyMatch(l -> l.contains(TINYLOG_STARTED));
            assertThat(traced.errLines()).anyMatch(l -> l.startsWith("otptoken: TRACE: > 00 A4 04 00"))
                    .noneMatch(l -> l.contains("DEBUG") && l.contains("natives/"));
        }
    }

    @Test
    void picocliComesFromTheArchiveAndVersionAloneBuildsNoParser() throws Exception {
        otptoken(Map.of(), null, "--version"); // makes the archive when the build is new
        Path listing = dir.resolve("list.log");
        Result list = logged(Map.of(), listing, "--port", dir.resolve("no-such-port").toString(), "list");
        assertThat(list.status()).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(loaded(listing)).filteredOn(l -> l.contains(" picocli.CommandLine "))
                .singleElement().asString().contains("source: shared objects file");

        Path version = dir.resolve("version.log");
        Result v = logged(Map.of(), version, "--version");
        assertThat(v.status()).isZero();
        assertThat(v.out()).startsWith("otptoken ");
        // HostMain's class refers to picocli's types, but no command model is built
        assertThat(loaded(version)).anyMatch(l -> l.contains(" dev.otptoken.host.cli.HostMain "))
                .noneMatch(l -> l.contains(" picocli.CommandLine$Model$CommandSpec "))
                .noneMatch(l -> l.contains("$Proxy"));
        assertThat(loaded(listing)).anyMatch(l -> l.contains(" picocli.CommandLine$Model$CommandSpec "));
    }
}
