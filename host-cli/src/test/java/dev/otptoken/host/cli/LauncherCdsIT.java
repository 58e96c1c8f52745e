package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' class-data archive (bin/lib/cds.sh, docs/performance.md "Start-up"): made after
 * a build, used when sound, and never the cause of a failure or of other output: missing,
 * truncated, damaged, of another jar. Runs on a copy of the launchers and jars, so that the
 * damage done here cannot reach the other tests' launchers.
 */
class LauncherCdsIT {
    @TempDir
    Path root;

    private Path hostJar;
    private Path hostJsa;
    private Path simJsa;

    @BeforeEach
    void copyLaunchers() throws IOException {
        Path real = Launchers.root();
        Files.createDirectories(root.resolve("bin/lib"));
        for (String f : List.of("bin/otptoken", "bin/otptoken-sim")) {
            Files.copy(real.resolve(f), root.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (var lib = Files.list(real.resolve("bin/lib"))) {
            for (Path f : lib.toList()) {
                Files.copy(f, root.resolve("bin/lib").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        for (String jar : List.of("host-cli/target/otptoken.jar", "firmware-sim/target/otptoken-sim.jar")) {
            Files.createDirectories(root.resolve(jar).getParent());
            Files.copy(real.resolve(jar), root.resolve(jar), StandardCopyOption.COPY_ATTRIBUTES);
        }
        hostJar = root.resolve("host-cli/target/otptoken.jar");
        hostJsa = root.resolve("host-cli/target/otptoken.jsa");
        simJsa = root.resolve("firmware-sim/target/otptoken-sim.jsa");
    }

    private Result host(Map<String, String> env, String... args) throws Exception {
        return run("bin/otptoken", env, args);
    }

    private Result run(String launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve(launcher).toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, null);
    }

    /** What the launcher prints without any archive. */
    private Result plain(String... args) throws Exception {
        return host(Map.of("OTPTOKEN_CDS", "0"), args);
    }

    @Test
    void theFirstStartMakesTheArchiveAndLaterStartsUseIt() throws Exception {
        Result expected = plain("--version");
        assertThat(expected.out()).startsWith("otptoken ");
        assertThat(hostJsa).doesNotExist();
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
        assertThat(hostJsa).isNotEmptyFile();
        assertThat(Path.of(hostJsa + ".sum")).isNotEmptyFile();
        // -Xshare:on makes the JVM fail rather than start without the archive: it is used
        assertThat(host(Map.of("OTPTOKEN_JAVA_OPTS", "-Xshare:on"), "--version")).isEqualTo(expected);
        assertThat(host(Map.of(), "code", "--help")).isEqualTo(plain("code", "--help"));
        assertThat(host(Map.of(), "--help")).isEqualTo(plain("--help"));
    }

    @Test
    void aTruncatedArchiveIsNotUsedAndIsMadeAgain() throws Exception {
        Result expected = plain("--version");
        host(Map.of(), "--version");
        long size = Files.size(hostJsa);
        try (RandomAccessFile f = new RandomAccessFile(hostJsa.toFile(), "rw")) {
            f.setLength(size / 3);
        }
        Files.setLastModifiedTime(hostJsa, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
        // made again: a whole archive, not the third left (a training run may load a few classes
        // more or less, so the size is the same only to within a few pages)
        assertThat(Files.size(hostJsa)).isCloseTo(size, org.assertj.core.api.Assertions.withinPercentage(5));
        assertThat(host(Map.of("OTPTOKEN_JAVA_OPTS", "-Xshare:on"), "--port", "/nonexistent/ttyX", "list"))
                .isEqualTo(plain("--port", "/nonexistent/ttyX", "list"));
    }

    @Test
    void aDamagedArchiveOfTheSameSizeIsNotUsedAndIsMadeAgain() throws Exception {
        Result expected = plain("--version");
        host(Map.of(), "--version");
        try (RandomAccessFile f = new RandomAccessFile(hostJsa.toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[4096]);
        }
        Files.setLastModifiedTime(hostJsa, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
    }

    @Test
    void aDeletedArchiveIsMadeAgain() throws Exception {
        Result expected = plain("--version");
        host(Map.of(), "--version");
        Files.delete(hostJsa);
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
        assertThat(hostJsa).isNotEmptyFile();
        Files.delete(Path.of(hostJsa + ".sum"));
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
    }

    @Test
    void theArchiveOfAnotherJarIsRefusedSilently() throws Exception {
        Result expected = plain("--version");
        host(Map.of(), "--version");
        // the jar changes (a rebuild) but the archive looks newer: the JVM sees another jar
        Files.setLastModifiedTime(hostJar, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Files.setLastModifiedTime(hostJsa, FileTime.fromMillis(System.currentTimeMillis()));
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
        // a jar newer than its archive gets a new one
        Files.setLastModifiedTime(hostJar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(host(Map.of(), "--version")).isEqualTo(expected);
        assertThat(host(Map.of("OTPTOKEN_JAVA_OPTS", "-Xshare:on"), "--version")).isEqualTo(expected);
    }

    @Test
    void theSimulatorsArchiveToo() throws Exception {
        Result expected = run("bin/otptoken-sim", Map.of("OTPTOKEN_CDS", "0"), "--version");
        assertThat(expected.status()).isZero();
        Path tmp = Files.createDirectory(root.resolve("tmp"));
        assertThat(run("bin/otptoken-sim", Map.of("TMPDIR", tmp.toString()), "--version")).isEqualTo(expected);
        assertThat(simJsa).isNotEmptyFile();
        try (var left = Files.list(tmp)) {
            assertThat(left).as("the training token's state file and its lock file are removed").isEmpty();
        }
        assertThat(run("bin/otptoken-sim", Map.of("OTPTOKEN_JAVA_OPTS", "-Xshare:on"), "--version")).isEqualTo(expected);
        try (RandomAccessFile f = new RandomAccessFile(simJsa.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThat(run("bin/otptoken-sim", Map.of(), "--version")).isEqualTo(expected);
    }

    @Test
    void offLeavesNoArchive() throws Exception {
        plain("--version");
        assertThat(hostJsa).doesNotExist();
    }
}
