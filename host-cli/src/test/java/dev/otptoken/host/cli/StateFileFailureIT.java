package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file that cannot be written, through the launchers: {@code bin/otptoken-sim} refuses
 * to start on it (exit 3, the reason in words), and when the disk fills up or turns read-only
 * under a running token, the command fails with 6581, {@code bin/otptoken} reports it for the
 * account, and nothing is lost or half-kept across a restart. The full disk is a 100 KB tmpfs
 * and the read-only file system a read-only bind mount: both need root (CI runs as root); as
 * another user they are skipped, unless {@code CI} is set, and the read-only case becomes a
 * directory without write permission.
 */
class StateFileFailureIT {
    private static final String ALICE = "otpauth://totp/Ex:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Ex";
    private static final String BOB = "otpauth://totp/Ex:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJR&issuer=Ex";
    private static final String MEMORY_FAILED = "the token's memory failed to write (6581)";

    @TempDir
    Path dir;

    static boolean root() throws Exception {
        return Processes.run(List.of("id", "-u"), Map.of(), null).out().trim().equals("0");
    }

    static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Mounting needs root: skipped otherwise, except under CI, which must run these. */
    static void requireRoot() throws Exception {
        if (!root()) {
            assertThat(ci()).as("CI runs the mount tests as root").isFalse();
            Assumptions.assumeTrue(false, "mounting a tmpfs or a read-only bind mount needs root");
        }
    }

    static void run(String... cmd) throws Exception {
        Result r = Processes.run(List.of(cmd), Map.of(), null);
        assertThat(r.status()).as(String.join(" ", cmd) + ": " + r.err()).isZero();
    }

    /** {@code bin/otptoken-sim --pty --headless ARGS} that must not start. */
    static Result simRefused(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Launchers.sim().toString(), "--pty", "--headless"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, Map.of(), "");
    }

    static void assertExit3(Result r, Path state, String words) {
        assertThat(r.status()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).as("never attached").isEmpty();
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("otptoken-sim: cannot write the state file " + state + ": ").contains(words);
    }

    /** Fills the file system of {@code dir} to the last byte. */
    static Path fill(Path dir) {
        Path filler = dir.resolve("filler");
        byte[] block = new byte[4096];
        try (OutputStream o = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1_000; i++) { // bounded: a 100 KB file system is full long before
                o.write(block);
                o.flush();
            }
            throw new AssertionError("the file system did not fill up");
        } catch (IOException full) {
            return filler;
        }
    }

    @Test
    void aStateInADirectoryThatDoesNotExistIsExit3() throws Exception {
        Path state = dir.resolve("no-such-dir/STATE");
        assertExit3(simRefused("--state", state.toString()), state, "directory does not exist");
        assertThat(state.getParent()).doesNotExist();
    }

    @Test
    void aStateOnAReadOnlyFileSystemIsExit3AndLeftAlone() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Path state = ro.resolve("STATE");
        try (Sim sim = startSim("--state", state.toString())) {
            assertThat(otptoken(port(sim), null, "provision", "--uri", ALICE).status()).isZero();
        }
        byte[] before = Files.readAllBytes(state);
        boolean root = root();
        if (root) {
            run("mount", "--bind", ro.toString(), ro.toString());
        } else {
            Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            if (root) {
                run("mount", "-o", "remount,ro,bind", ro.toString());
            }
            assertExit3(simRefused("--state", state.toString()), state,
                    root ? "read-only file system" : "permission denied");
        } finally {
            if (root) {
                run("umount", ro.toString());
            } else {
                Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
        }
        assertThat(Files.readAllBytes(state)).isEqualTo(before);
    }

    @Test
    void aStateOnAFullDiskIsExit3() throws Exception {
        requireRoot();
        Path tmpfs = Files.createDirectories(dir.resolve("full"));
        run("mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", tmpfs.toString());
        try {
            fill(tmpfs);
            Path state = tmpfs.resolve("STATE");
            assertExit3(simRefused("--state", state.toString()), state, "no space left");
            assertThat(state).doesNotExist();
            try (var files = Files.list(tmpfs)) {
                // the lock file is made before the state is written (StateLock), when there is room for it
                assertThat(files.filter(f -> !f.getFileName().toString().equals("STATE.lock")))
                        .as("no temporary file left").containsExactly(tmpfs.resolve("filler"));
            }
        } finally {
            run("umount", tmpfs.toString());
        }
    }

    /**
     * The disk fills up under a running token: the PUT fails with 6581 and the host says so for
     * the account (it used to answer 9000, the host printed "1 of 1 accounts in and proven", and
     * the account was gone after a restart). Then the disk has room again: nothing was half-kept.
     */
    @Test
    void aDiskThatFillsUpFailsTheAccountWith6581AndLosesNothing() throws Exception {
        requireRoot();
        Path tmpfs = Files.createDirectories(dir.resolve("fills"));
        run("mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", tmpfs.toString());
        try {
            Path state = tmpfs.resolve("STATE");
            try (Sim sim = startSim("--state", state.toString())) {
                Result alice = otptoken(port(sim), null, "provision", "--uri", ALICE);
                assertThat(alice.status()).as(alice.err()).isZero();
                Path filler = fill(tmpfs);

                Result bob = otptoken(port(sim), null, "provision", "--uri", BOB);
                assertThat(bob.status()).as(bob.err()).isEqualTo(ExitStatus.TOKEN_REFUSED);
                assertThat(bob.out()).doesNotContain("in and proven");
                assertThat(bob.errLines()).contains(
                        "otptoken:   " + sim.port + ": 0 of 1 accounts in and proven; not written: Ex:bob; failed at"
                                + " Ex:bob: " + MEMORY_FAILED + ": its last change was undone",
                        "otptoken: " + MEMORY_FAILED + ": its last change was undone");
                Result list = otptoken(port(sim), null, "list");
                assertThat(list.status()).isZero();
                assertThat(list.outLines()).as("what the token holds is what its file holds")
                        .singleElement().asString().startsWith("Ex:alice ");

                Files.delete(filler);
            }
            try (Sim again = startSim("--state", state.toString())) {
                assertThat(otptoken(port(again), null, "list").outLines()).singleElement().asString()
                        .startsWith("Ex:alice ");
                Result bob = otptoken(port(again), null, "provision", "--uri", BOB);
                assertThat(bob.status()).as(bob.err()).isZero();
                assertThat(bob.out()).contains("1 of 1 accounts in and proven (Ex:bob)");
            }
        } finally {
            run("umount", tmpfs.toString());
        }
    }

    /** The file system turns read-only under a running token: delete fails with 6581, keeps the account. */
    @Test
    void aFileSystemThatTurnsReadOnlyFailsTheCommandWith6581() throws Exception {
        requireRoot();
        Path ro = Files.createDirectories(dir.resolve("turns-ro"));
        Path state = ro.resolve("STATE");
        run("mount", "--bind", ro.toString(), ro.toString());
        try {
            try (Sim sim = startSim("--state", state.toString())) {
                assertThat(otptoken(port(sim), null, "provision", "--uri", ALICE).status()).isZero();
                run("mount", "-o", "remount,ro,bind", ro.toString());
                Result delete = otptoken(port(sim), null, "delete", "Ex:alice");
                assertThat(delete.status()).as(delete.err()).isEqualTo(ExitStatus.TOKEN_REFUSED);
                assertThat(delete.errLines()).singleElement().asString()
                        .isEqualTo("otptoken: " + MEMORY_FAILED + ": its last change was undone");
                assertThat(otptoken(port(sim), null, "list").outLines()).singleElement().asString()
                        .startsWith("Ex:alice ");
                run("mount", "-o", "remount,rw,bind", ro.toString());
            }
            try (Sim again = startSim("--state", state.toString())) {
                assertThat(otptoken(port(again), null, "list").outLines()).singleElement().asString()
                        .startsWith("Ex:alice ");
            }
        } finally {
            run("umount", ro.toString());
        }
    }
}
