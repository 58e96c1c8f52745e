package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.testing.SecretSlices;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * otptoken-sim as a child process on state files that are damaged, cannot be written, or left
 * temporary copies behind; and what its state file holds after DELETE and RESET. The
 * unwritable cases that need a mount (full disk, read-only file system) run through the
 * launchers in host-cli's StateFileFailureIT.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StateFileProcessTest {
    static final String KEY_A = "8F3A61C2D94E07B5A1C3E5F7092B4D6F8193A5B7";
    static final String KEY_B = "2C4E6A8BADCFE1F30517395B7D9FB1D3F5173958";
    static final String PUT_A = "00010000 1B 7101 61 7316 2106" + KEY_A;
    static final String PUT_B = "00010000 1B 7101 62 7316 1106" + KEY_B;
    static final String DELETE_A = "00020000 03 7101 61";
    static final String RESET = "0004DEAD";
    /** Where the OATH region and the device record start in a state file. */
    static final int OATH_AT = StateFile.HEADER_SIZE + TransactionalMemory.HEADER_SIZE
            + TransactionalMemory.DEFAULT_JOURNAL_SIZE;
    static final int DEVICE_AT = OATH_AT + SimulatedToken.DEVICE_BASE;
    /**
     * Where the first account slot starts in a state file, and its size: the OATH region's
     * header is 80 bytes, a slot 214 (docs/oath-applet.md, "Storage layout").
     */
    static final int SLOT0_AT = OATH_AT + 80;

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : err.lines().toList();
        }
    }

    /**
     * {@code java SimMain --headless ARGS} with {@code stdin}; waits for the exit (a token that
     * starts when it should not keeps serving: it is killed after 30 s and the test fails).
     */
    Result sim(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SimMain.class.getName(), "--headless"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("sim-out", ".txt");
        Path err = Files.createTempFile("sim-err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
            boolean exited = p.waitFor(30, TimeUnit.SECONDS);
            assertThat(exited).as("the simulator exited by itself; it said: %s", Files.readString(out)).isTrue();
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** The lock file a running token holds beside its state file (StateLock). */
    static Path lockOf(Path state) {
        return state.resolveSibling(state.getFileName() + ".lock");
    }

    /** A state file holding account "a" (KEY_A) and account "b" (KEY_B). */
    Path twoAccounts() throws Exception {
        Path state = dir.resolve("STATE");
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(PUT_A.replace(" ", ""));
            t.ok(PUT_B.replace(" ", ""));
            assertThat(t.quit()).isZero();
        }
        assertThat(holdsSliceOf(Files.readAllBytes(state), KEY_A)).as("the scan finds a stored key").isTrue();
        return state;
    }

    static boolean holdsSliceOf(byte[] file, String keyHex) {
        return SecretSlices.holdsSliceOf(file, HexFormat.of().parseHex(keyHex));
    }

    /** The state file with one bit of the image flipped and the CRC made valid again. */
    static byte[] flipped(Path state, int fileOffset, int bit) throws Exception {
        byte[] image = StateFile.read(state);
        image[fileOffset - StateFile.HEADER_SIZE] ^= (byte) (1 << bit);
        StateFile.write(state, image);
        return Files.readAllBytes(state);
    }

    void assertRefusedAndUntouched(Path state, byte[] content, String problem) throws Exception {
        Result r = sim("", "--pty", "--state", state.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(SimMain.EXIT_STATE);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().startsWith("otptoken-sim: state file " + state)
                .contains(problem);
        assertThat(Files.readAllBytes(state)).as("the state file is untouched").isEqualTo(content);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactlyInAnyOrder(state, lockOf(state));
        }
    }

    /**
     * An empty file holds no memory, so nothing is lost by making a token in it: the file that
     * {@code mktemp} makes for {@code --state "$(mktemp)"} is taken as a missing one, and said.
     */
    @Test
    void anEmptyStateFileIsAFreshTokenMadeInIt() throws Exception {
        Path state = Files.createFile(dir.resolve("STATE"));
        Result r = sim("quit\n", "--pty", "--state", state.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.errLines()).containsExactly("otptoken-sim: state file " + state
                + " was empty: a fresh token is made in it");
        assertThat(StateFile.read(state)).as("a whole token's memory now").hasSizeGreaterThan(1000);
        Result again = sim("quit\n", "--pty", "--state", state.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).as("loaded, not made again").isEmpty();
    }

    @Test
    void aStateInADirectoryThatDoesNotExistIsRefusedAtStart() throws Exception {
        Path state = dir.resolve("missing/STATE");
        Result r = sim("", "--pty", "--state", state.toString());
        assertThat(r.status()).isEqualTo(SimMain.EXIT_STATE);
        assertThat(r.out()).as("never attached").isEmpty();
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("otptoken-sim: cannot write the state file " + state + ": directory does not exist ("
                        + state.getParent() + ")");
        assertThat(state.getParent()).doesNotExist();
    }

    @Test
    void aBitFlippedInTheOathMagicIsRefusedNotFormatted() throws Exception {
        Path state = twoAccounts();
        assertRefusedAndUntouched(state, flipped(state, OATH_AT + 1, 3), "OATH applet's region is damaged");
    }

    @Test
    void aLaterOathLayoutVersionIsRefused() throws Exception {
        Path state = twoAccounts();
        // "YKO1" -> "YKO3": the version character, one bit away
        assertRefusedAndUntouched(state, flipped(state, OATH_AT + 3, 1), "layout version 3");
    }

    @Test
    void aBitFlippedInTheDeviceMagicIsRefusedNotFormatted() throws Exception {
        Path state = twoAccounts();
        assertRefusedAndUntouched(state, flipped(state, DEVICE_AT, 0), "device applet's record is damaged");
    }

    @Test
    void staleTemporaryCopiesAreRemovedAtStartAndSaidSoAtV() throws Exception {
        Path state = twoAccounts();
        // what a SIGKILL between the temporary file and its rename leaves: a whole token
        Path stale1 = Files.copy(state, dir.resolve("STATE.8141027519963411521.tmp"));
        Path stale2 = Files.copy(state, dir.resolve("STATE.17.tmp"));
        Path other = Files.copy(state, dir.resolve("OTHER.17.tmp"));
        Result quiet = sim("quit\n", "--pty", "--state", state.toString());
        assertThat(quiet.status()).as(quiet.err()).isZero();
        assertThat(stale1).doesNotExist();
        assertThat(stale2).doesNotExist();
        assertThat(other).as("not this state file's").exists();
        assertThat(quiet.err()).as("only said at -v").isEmpty();

        Files.copy(state, stale1);
        Result verbose = sim("quit\n", "--pty", "--state", state.toString(), "-v");
        assertThat(verbose.status()).as(verbose.err()).isZero();
        assertThat(stale1).doesNotExist();
        assertThat(verbose.err()).contains("removed " + stale1);
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            assertThat(t.ok("00A10000")).as("the token itself is intact").isEqualTo("7202" + "2161" + "7202" + "1162");
            assertThat(t.quit()).isZero();
        }
    }

    @Test
    void aResetCutBetweenItsWipesLeavesNoKeyAfterTheNextStart() throws Exception {
        Path state = twoAccounts();
        // RESET of two accounts: six journaled writes of 3 physical writes each, the commit at
        // write 19, then each freed slot wiped with a write of its own (4 physical writes): a
        // cut at 22 comes after the commit and before the first wipe is done
        try (TokenHarness t = TokenHarness.process(state, "--power-cut-after-writes", "22")) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            try {
                t.send(RESET);
            } catch (java.io.IOException dead) {
                // the chip died in the middle of it
            }
            assertThat(t.exitStatus()).isEqualTo(SimMain.EXIT_POWER_CUT);
        }
        byte[] torn = Files.readAllBytes(state);
        assertThat(holdsSliceOf(torn, KEY_A) || holdsSliceOf(torn, KEY_B)).as("a key left by the cut").isTrue();
        Result restart = sim("quit\n", "--pty", "--state", state.toString(), "-v");
        assertThat(restart.status()).as(restart.err()).isZero();
        assertThat(restart.err()).containsPattern("wiped [12] free account slots that still held a key");
        byte[] after = Files.readAllBytes(state);
        assertThat(holdsSliceOf(after, KEY_A) || holdsSliceOf(after, KEY_B)).isFalse();
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            assertThat(t.send(TokenHarness.OATH_SELECT)).endsWith("9000");
            assertThat(t.ok("00A10000")).as("the reset had committed").isEmpty();
            assertThat(t.quit()).isZero();
        }
    }

    @Test
    void deleteAndResetLeaveNoByteOfTheKeysInTheStateFile() throws Exception {
        Path state = twoAccounts();
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(DELETE_A.replace(" ", ""));
            // read while the token runs: every commit is saved, nothing waits for the exit
            byte[] afterDelete = Files.readAllBytes(state);
            assertThat(holdsSliceOf(afterDelete, KEY_A)).as("the deleted key").isFalse();
            assertThat(holdsSliceOf(afterDelete, KEY_B)).as("the key kept").isTrue();
            t.ok(RESET);
            assertThat(holdsSliceOf(Files.readAllBytes(state), KEY_B)).as("a key wiped by reset").isFalse();
            assertThat(t.quit()).isZero();
        }
        byte[] atExit = Files.readAllBytes(state);
        assertThat(holdsSliceOf(atExit, KEY_A) || holdsSliceOf(atExit, KEY_B)).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactlyInAnyOrder(state, lockOf(state));
        }
    }

    /** The state file with byte {@code fileOffset} of the image set to {@code value}, the CRC valid. */
    static byte[] patched(Path state, int fileOffset, int value) throws Exception {
        byte[] image = StateFile.read(state);
        image[fileOffset - StateFile.HEADER_SIZE] = (byte) value;
        StateFile.write(state, image);
        return Files.readAllBytes(state);
    }

    /** A --state that is not a regular file: refused at once, with exit 3 and one line, and left as it is. */
    void assertNotARegularFile(Path state, String kind) throws Exception {
        long started = System.nanoTime();
        Result r = sim("quit\n", "--pty", "--state", state.toString());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(r.status()).as(r.err()).isEqualTo(SimMain.EXIT_STATE);
        assertThat(r.out()).as("never attached").isEmpty();
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("otptoken-sim: state file " + state + " is not a regular file (" + kind + ")");
        assertThat(seconds).as("refused before anything was read").isLessThan(20);
    }

    @Test
    void devZeroIsRefusedBeforeAByteIsRead() throws Exception {
        assertNotARegularFile(Path.of("/dev/zero"), "a character device");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("STATE");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).as(new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        // before the fix the token blocked in open(2) until a writer came: sim() gives up after 30 s
        assertNotARegularFile(fifo, "a FIFO");
        assertThat(Files.isRegularFile(fifo)).as("still a FIFO").isFalse();
        assertThat(fifo).exists();
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("STATE"));
        assertNotARegularFile(sub, "a directory");
    }

    @Test
    void aFileLargerThanAnyTokensMemoryIsRefusedUnread() throws Exception {
        Path state = dir.resolve("STATE");
        try (RandomAccessFile f = new RandomAccessFile(state.toFile(), "rw")) {
            f.setLength(2L << 30); // sparse: 2 GiB of holes, nothing written
        }
        long max = StateFile.HEADER_SIZE + SimulatedToken.MAX_IMAGE_SIZE;
        Result r = sim("quit\n", "--pty", "--state", state.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(SimMain.EXIT_STATE);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().isEqualTo("otptoken-sim: state file " + state
                + " is too large (2147483648 bytes; a token's memory takes at most " + max + ")");
        assertThat(Files.size(state)).as("untouched").isEqualTo(2L << 30);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactlyInAnyOrder(state, lockOf(state));
        }
    }

    /**
     * Two tokens on one state file would each keep their own memory and write it over the
     * other's, losing accounts both had confirmed: the second is refused at start (exit 3),
     * naming the process that holds the file, and starts once that one has stopped.
     */
    @Test
    void aSecondTokenOnTheSameStateFileIsRefusedWhileTheFirstRuns() throws Exception {
        Path state = twoAccounts();
        byte[] before = Files.readAllBytes(state);
        try (TokenHarness first = TokenHarness.process(state)) {
            first.connect();
            Result second = sim("", "--pty", "--state", state.toString());
            assertThat(second.status()).as(second.err()).isEqualTo(SimMain.EXIT_STATE);
            assertThat(second.out()).isEmpty();
            assertThat(second.errLines()).singleElement().asString()
                    .matches("otptoken-sim: state file \\Q" + state + "\\E is in use by another token \\(process"
                            + " [0-9]+\\): one token per state file");
            Path link = Files.createSymbolicLink(dir.resolve("LINK"), state.getFileName());
            assertThat(sim("", "--pty", "--state", link.toString()).status()).as("the same file through a link")
                    .isEqualTo(SimMain.EXIT_STATE);
            assertThat(first.quit()).isZero();
        }
        assertThat(holdsSliceOf(Files.readAllBytes(state), KEY_A)).isTrue();
        assertThat(Files.readAllBytes(state)).as("the refused starts wrote nothing").isEqualTo(before);
        Result again = sim("quit\n", "--pty", "--state", state.toString());
        assertThat(again.status()).as(again.err()).isZero();
    }

    @Test
    void aSymlinkIsFollowedAndStaysALink() throws Exception {
        Path target = twoAccounts();
        Path link = Files.createSymbolicLink(dir.resolve("LINK"), target.getFileName());
        try (TokenHarness t = TokenHarness.process(link)) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(DELETE_A.replace(" ", ""));
            assertThat(t.quit()).isZero();
        }
        assertThat(Files.isSymbolicLink(link)).as("the link stays a link").isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(target.getFileName());
        byte[] written = Files.readAllBytes(target);
        assertThat(holdsSliceOf(written, KEY_A)).as("the target was written: the deleted key is gone").isFalse();
        assertThat(holdsSliceOf(written, KEY_B)).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(target, link, lockOf(target));
        }
    }

    @Test
    void aSaveKeepsTheFilesMode() throws Exception {
        Path state = twoAccounts();
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r-----"));
        try (TokenHarness t = TokenHarness.process(state)) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(DELETE_A.replace(" ", ""));
            assertThat(t.quit()).isZero();
        }
        assertThat(holdsSliceOf(Files.readAllBytes(state), KEY_A)).as("saved").isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rw-r-----");
    }

    /**
     * A 0444 file: root may write any file, and the token does so as any root process would,
     * keeping the mode; any other user's token refuses to start on it (exit 3, "permission
     * denied (the file is read-only)") and leaves it as it is, where it used to replace it
     * with a 0600 copy through the rename.
     */
    @Test
    void aReadOnlyFileStaysReadOnly() throws Exception {
        Path state = twoAccounts();
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r--r--r--"));
        byte[] before = Files.readAllBytes(state);
        if (!"root".equals(System.getProperty("user.name"))) {
            Result r = sim("quit\n", "--pty", "--state", state.toString());
            assertThat(r.status()).as(r.err()).isEqualTo(SimMain.EXIT_STATE);
            assertThat(r.errLines()).singleElement().asString().isEqualTo("otptoken-sim: cannot write the state file "
                    + state + ": permission denied (the file is read-only)");
            assertThat(Files.readAllBytes(state)).isEqualTo(before);
        } else {
            try (TokenHarness t = TokenHarness.process(state)) {
                t.connect();
                t.ok(TokenHarness.OATH_SELECT);
                t.ok(DELETE_A.replace(" ", ""));
                assertThat(t.quit()).isZero();
            }
            assertThat(holdsSliceOf(Files.readAllBytes(state), KEY_A)).as("saved, as root").isFalse();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("r--r--r--");
    }

    /**
     * A record no PUT could write, CRC-valid (account "a" in slot 0, fields at the offsets of
     * docs/oath-applet.md): it used to load, and the first press killed the headless input
     * thread (the token then ignored quit).
     */
    @ParameterizedTest(name = "byte {0} of slot 0 = {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "69 | 255 | key length 255 (14 to 64 bytes for SHA1)",
        "69 | 0   | key length 0 (14 to 64 bytes for SHA1)",
        "67 | 0   | 0 digits (6 to 8)",
        "67 | 200 | 200 digits (6 to 8)",
        "66 | 255 | unknown type or algorithm (type byte FF)",
        "1  | 65  | name length 65 (1 to 64 bytes)",
        "1  | 0   | name length 0 (1 to 64 bytes)",
        "68 | 128 | unknown properties (80)",
    })
    void anImpossibleRecordIsRefusedAtStart(int field, int value, String problem) throws Exception {
        Path state = twoAccounts();
        assertThat(Files.readAllBytes(state)[SLOT0_AT + 2]).as("account a is in slot 0").isEqualTo((byte) 'a');
        assertRefusedAndUntouched(state, patched(state, SLOT0_AT + field, value),
                "is corrupt: the OATH applet's account in slot 0 is impossible: " + problem);
    }

    /**
     * A CRC-valid file whose undo journal (docs/hardware.md, "Undo journal") holds one entry of
     * 4 bytes at {@code address}, L covering it: a negative address used to overwrite the
     * memory header and be accepted, a large one threw ArrayIndexOutOfBoundsException.
     */
    @ParameterizedTest(name = "journal entry at address {0}")
    @CsvSource(delimiter = '|', value = {
        "-16        | restores 4 bytes at address -16, outside the",
        "2147483647 | restores 4 bytes at address 2147483647, outside the",
        "1000000    | restores 4 bytes at address 1000000, outside the",
    })
    void aJournalEntryOutsideTheUserAreaIsRefusedAtStart(int address, String problem) throws Exception {
        Path state = twoAccounts();
        byte[] image = StateFile.read(state);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(image);
        b.putInt(12, 10); // L: one entry of 6 + 4 bytes
        b.putInt(16, address).putShort(20, (short) 4).putInt(22, 0x41414141);
        StateFile.write(state, image);
        assertRefusedAndUntouched(state, Files.readAllBytes(state),
                "is corrupt: journal entry 0 at journal offset 0 " + problem);
    }
}
