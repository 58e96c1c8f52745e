package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' rule "never run stale code": {@code bin/otptoken} and {@code bin/otptoken-sim}
 * rebuild when a jar is missing or older than a main source or POM of its modules, and only
 * then. Runs the real launcher scripts in a copy of the repository's layout, with a stand-in
 * {@code mvn} that records its arguments and a stand-in {@code java} that says what it ran.
 */
class LauncherBuildTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Instant BUILT = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> MODULES = List.of("protocol", "hardware", "firmware-sim", "host-cli");

    @TempDir
    Path dir;

    private Path root;
    private Path mvnLog;
    private Path hostJar;
    private Path simJar;

    @BeforeEach
    void layOut() throws IOException {
        root = dir.resolve("repo");
        Files.createDirectories(root.resolve("bin/lib"));
        for (String launcher : List.of("bin/otptoken", "bin/otptoken-sim")) {
            Files.copy(REPO.resolve(launcher), root.resolve(launcher));
        }
        try (var lib = Files.list(REPO.resolve("bin/lib"))) {
            for (Path f : lib.toList()) {
                Files.copy(f, root.resolve("bin/lib").resolve(f.getFileName()));
            }
        }
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        for (String m : MODULES) {
            Path src = Files.createDirectories(root.resolve(m).resolve("src/main/java"));
            Files.createDirectories(root.resolve(m).resolve("src/test/java"));
            Files.createDirectories(root.resolve(m).resolve("target"));
            Files.writeString(root.resolve(m).resolve("pom.xml"), "<project/>");
            Files.writeString(src.resolve("Main.java"), "class Main {}");
            Files.writeString(root.resolve(m).resolve("src/test/java/MainTest.java"), "class MainTest {}");
        }
        hostJar = root.resolve("host-cli/target/otptoken.jar");
        simJar = root.resolve("firmware-sim/target/otptoken-sim.jar");
        mvnLog = dir.resolve("mvn.log");
        Path tools = Files.createDirectories(dir.resolve("tools/bin"));
        script(tools.resolve("mvn"), "echo \"$*\" >> '" + mvnLog + "'\n[ -z \"${FAKE_MVN_FAIL:-}\" ] || { echo 'BUILD FAILURE: broken'; exit 1; }\n");
        script(tools.resolve("java"), "echo \"java $*\"\n");
        setAllSourceTimes(BUILT.minusSeconds(60));
    }

    private static void script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/usr/bin/env bash\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void setAllSourceTimes(Instant t) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.toString().contains("/target") && !p.toString().contains("/bin")) {
                    Files.setLastModifiedTime(p, FileTime.from(t));
                }
            }
        }
    }

    private void jarsBuiltAt(Instant t) throws IOException {
        for (Path jar : List.of(hostJar, simJar)) {
            Files.writeString(jar, "jar");
            Files.setLastModifiedTime(jar, FileTime.from(t));
        }
    }

    private Processes.Result run(String launcher, Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JAVA_HOME", dir.resolve("tools").toString());
        all.put("PATH", dir.resolve("tools/bin") + ":" + System.getenv("PATH"));
        all.put("TMPDIR", dir.toString());
        return Processes.run(List.of(root.resolve(launcher).toString(), "--version"), all, null);
    }

    private List<String> builds() throws IOException {
        return Files.exists(mvnLog) ? Files.readAllLines(mvnLog) : List.of();
    }

    @Test
    void firstRunBuildsBothJarsOnceThenRunsThem() throws Exception {
        Processes.Result r = run("bin/otptoken", Map.of());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("otptoken: building (first run, about a minute) ...");
        assertThat(builds()).hasSize(1);
        assertThat(builds().get(0)).contains("-pl host-cli,firmware-sim -am");
        assertThat(r.out()).startsWith("java ").contains("-jar " + hostJar).endsWith("--version\n");

        Processes.Result again = run("bin/otptoken", Map.of());
        assertThat(again.err()).as("no message when nothing is built").isEmpty();
        assertThat(builds()).hasSize(1);
    }

    @Test
    void currentJarsRunWithoutBuildingOrSayingAnything() throws Exception {
        jarsBuiltAt(BUILT);
        for (String launcher : List.of("bin/otptoken", "bin/otptoken-sim")) {
            Processes.Result r = run(launcher, Map.of());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
        }
        assertThat(builds()).isEmpty();
    }

    @Test
    void aChangedSourceOrPomRebuildsOnlyTheJarsContainingIt() throws Exception {
        jarsBuiltAt(BUILT);
        Files.setLastModifiedTime(root.resolve("host-cli/src/main/java/Main.java"), FileTime.from(BUILT.plusSeconds(5)));
        Processes.Result sim = run("bin/otptoken-sim", Map.of());
        assertThat(sim.err()).as("the simulator does not contain host-cli").isEmpty();
        Processes.Result host = run("bin/otptoken", Map.of());
        assertThat(host.err()).contains("otptoken: building (sources changed since the last build) ...");
        assertThat(builds()).containsExactly("-B -q -ntp -DskipTests package -pl host-cli -am");

        Files.setLastModifiedTime(root.resolve("hardware/pom.xml"), FileTime.from(Instant.now().plusSeconds(5)));
        Processes.Result sim2 = run("bin/otptoken-sim", Map.of());
        assertThat(sim2.err()).contains("otptoken-sim: building (sources changed since the last build) ...");
        assertThat(builds()).hasSize(2).last().asString().contains("-pl firmware-sim -am");

        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.now().plusSeconds(10)));
        run("bin/otptoken", Map.of());
        assertThat(builds()).hasSize(3).last().asString().contains("-pl host-cli,firmware-sim -am");
    }

    @Test
    void aDeletedSourceRebuilds() throws Exception {
        jarsBuiltAt(BUILT);
        Files.delete(root.resolve("protocol/src/main/java/Main.java"));
        Processes.Result r = run("bin/otptoken-sim", Map.of());
        assertThat(r.err()).contains("otptoken-sim: building (sources changed since the last build) ...");
        assertThat(builds()).hasSize(1);
    }

    @Test
    void aChangedTestDoesNotRebuild() throws Exception {
        jarsBuiltAt(BUILT);
        Files.writeString(root.resolve("protocol/src/test/java/OtherTest.java"), "class OtherTest {}");
        Processes.Result r = run("bin/otptoken", Map.of());
        assertThat(r.err()).isEmpty();
        assertThat(builds()).isEmpty();
    }

    @Test
    void aFailedBuildStopsWithItsOutputAndStatus4() throws Exception {
        jarsBuiltAt(BUILT);
        Files.setLastModifiedTime(root.resolve("protocol/src/main/java/Main.java"), FileTime.from(BUILT.plusSeconds(5)));
        Processes.Result r = run("bin/otptoken", Map.of("FAKE_MVN_FAIL", "1"));
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.out()).as("the stale jar is not run").isEmpty();
        assertThat(r.err()).contains("BUILD FAILURE: broken").contains("otptoken: the build failed (see above)");
    }
}
