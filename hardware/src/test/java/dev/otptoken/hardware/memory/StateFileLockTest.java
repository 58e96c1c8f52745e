package dev.otptoken.hardware.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondLockOnTheSameFileIsRefusedNamingTheHolderUntilTheFirstIsClosed() throws Exception {
        Path state = dir.resolve("STATE");
        long pid = ProcessHandle.current().pid();
        try (StateFileLock first = StateFileLock.acquire(state)) {
            assertThat(first.held()).isTrue();
            assertThat(Files.readString(dir.resolve("STATE.lock"))).isEqualTo(pid + "\n");
            assertThatThrownBy(() -> StateFileLock.acquire(state)).isInstanceOfSatisfying(StateFileLock.HeldException.class,
                    e -> assertThat(e.holder()).hasValue(pid))
                    .hasMessage("state file " + state + " is in use by another process (" + pid + ")");
        }
        try (StateFileLock again = StateFileLock.acquire(state)) {
            assertThat(again.held()).as("free once closed").isTrue();
        }
        assertThat(state).as("the lock makes no state file").doesNotExist();
    }

    /**
     * A lock let go of a moment after the next start asks for it is taken, not refused: a child
     * process being started keeps a copy of its holder's descriptor until it executes its program.
     */
    @Test
    void aLockLetGoOfWithinTheWaitIsTaken() throws Exception {
        Path state = dir.resolve("STATE");
        StateFileLock first = StateFileLock.acquire(state);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        releaser.start();
        try (StateFileLock second = StateFileLock.acquire(state)) {
            assertThat(second.held()).isTrue();
        }
        releaser.join();
    }

    @Test
    void aLinkAndItsTargetShareOneLock() throws Exception {
        Path target = dir.resolve("TARGET");
        Path link = Files.createSymbolicLink(dir.resolve("LINK"), target.getFileName());
        try (StateFileLock first = StateFileLock.acquire(target)) {
            assertThatThrownBy(() -> StateFileLock.acquire(link)).isInstanceOf(StateFileLock.HeldException.class);
        }
        assertThat(StateFileLock.lockFileOf(link)).isEqualTo(dir.resolve("TARGET.lock"));
    }

    @Test
    void aLockFileWithoutAProcessIdStillLocksAndTheMessageOmitsIt() throws Exception {
        Path state = dir.resolve("STATE");
        try (StateFileLock first = StateFileLock.acquire(state)) {
            Files.writeString(dir.resolve("STATE.lock"), "not a pid");
            assertThatThrownBy(() -> StateFileLock.acquire(state)).isInstanceOfSatisfying(StateFileLock.HeldException.class,
                    e -> assertThat(e.holder()).isEmpty())
                    .hasMessage("state file " + state + " is in use by another process");
        }
    }

    /**
     * A descriptor open for writing keeps its file system from being remounted read-only, and a
     * token must keep running when its disk turns read-only: the lock holds its file read-only.
     */
    @Test
    void theLockIsHeldThroughADescriptorOpenedReadOnly() throws Exception {
        assumeThat(Path.of("/proc/self/fdinfo")).isDirectory();
        Path state = dir.resolve("STATE");
        Path lockFile = dir.resolve("STATE.lock");
        try (StateFileLock lock = StateFileLock.acquire(state)) {
            List<Integer> flags = openFlagsOf(lockFile);
            assertThat(flags).as("one descriptor holds the lock file").hasSize(1);
            assertThat(flags.get(0) & 3).as("O_ACCMODE of its flags: O_RDONLY").isZero();
        }
        assertThat(openFlagsOf(lockFile)).as("closed with the lock").isEmpty();
    }

    @Test
    void nothingIsLockedWhereNoLockFileCanBeMade() throws Exception {
        Path state = dir.resolve("missing").resolve("STATE");
        try (StateFileLock lock = StateFileLock.acquire(state)) {
            assertThat(lock.held()).isFalse();
        }
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    /** A lock file that is a link or a FIFO is neither followed nor waited on: no lock, and why. */
    @Test
    void aLinkOrAFifoAtTheLockFileIsNotUsedAndSaysWhy() throws Exception {
        Path elsewhere = Files.createFile(dir.resolve("ELSEWHERE"));
        Files.createSymbolicLink(dir.resolve("A.lock"), elsewhere);
        try (StateFileLock lock = StateFileLock.acquire(dir.resolve("A"))) {
            assertThat(lock.held()).isFalse();
            assertThat(lock.notHeldBecause()).hasValue(dir.resolve("A.lock") + " is not a regular file");
        }
        assertThat(Files.readString(elsewhere)).as("nothing written through the link").isEmpty();
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("B.lock").toString()).start();
        assumeThat(mkfifo.waitFor()).as("mkfifo").isZero();
        try (StateFileLock lock = StateFileLock.acquire(dir.resolve("B"))) {
            assertThat(lock.held()).isFalse();
            assertThat(lock.notHeldBecause()).hasValue(dir.resolve("B.lock") + " is not a regular file");
        }
    }

    /** A state path that is no regular file gets no lock file beside it: the state file's check refuses it. */
    @Test
    void aDirectoryOrADeviceAsStateGetsNoLockFile() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("SUB"));
        try (StateFileLock lock = StateFileLock.acquire(sub)) {
            assertThat(lock.held()).isFalse();
            assertThat(lock.notHeldBecause()).isEmpty();
        }
        assertThat(dir.resolve("SUB.lock")).doesNotExist();
        Path devNull = Files.createSymbolicLink(dir.resolve("NULL"), Path.of("/dev/null"));
        try (StateFileLock lock = StateFileLock.acquire(devNull)) {
            assertThat(lock.held()).isFalse();
        }
        assertThat(Path.of("/dev/null.lock")).doesNotExist();
    }

    /** The open flags of this process's descriptors on {@code file}, from /proc/self/fdinfo. */
    private static List<Integer> openFlagsOf(Path file) throws IOException {
        List<Integer> flags = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                Path to;
                try {
                    to = Files.readSymbolicLink(fd);
                } catch (IOException gone) {
                    continue; // the listing's own descriptor, closed by now
                }
                if (to.equals(file.toAbsolutePath())) {
                    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()))) {
                        if (line.startsWith("flags:")) {
                            flags.add(Integer.parseInt(line.substring(6).strip(), 8));
                        }
                    }
                }
            }
        }
        return flags;
    }
}
