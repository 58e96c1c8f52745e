package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.hardware.posix.LibC;
import dev.otptoken.protocol.t1.LinkStalledException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PseudoTerminalTest {
    /** Generous: an idle second of poll(2) costs microseconds; a spinning loop costs ~1 s. */
    private static final long IDLE_CPU_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private PseudoTerminal pty;

    @BeforeEach
    void open() throws IOException {
        pty = PseudoTerminal.open(Optional.empty());
    }

    @AfterEach
    void close() throws IOException {
        pty.close();
    }

    @Test
    void aHostThatDoesNotReadMakesTheWriteDropItsBytesAndTheLineStaysUsable() throws Exception {
        try (PseudoTerminal stalling = PseudoTerminal.open(Optional.empty(), 200);
                TtyLink host = TtyLink.open(stalling.slavePath())) {
            byte[] flood = new byte[1 << 20];
            long start = System.nanoTime();
            assertThatThrownBy(() -> stalling.write(flood, 0, flood.length))
                    .isInstanceOf(LinkStalledException.class)
                    .hasMessageContaining("host is not reading")
                    .satisfies(e -> assertThat(((LinkStalledException) e).droppedBytes()).isPositive());
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
            // The unread bytes were dropped with the rest: a reply written now goes through at
            // once and is what the host reads first.
            byte[] reply = {0x00, (byte) 0xE3, 0x00, 0x12, 0x34};
            stalling.write(reply, 0, reply.length);
            byte[] got = new byte[reply.length];
            int n = 0;
            while (n < reply.length) {
                int r = host.read(got, n, reply.length - n, 2_000);
                assertThat(r).as("the reply arrives").isPositive();
                n += r;
            }
            assertThat(got).isEqualTo(reply);
            // And the line still carries what the host sends.
            host.write(reply, 0, reply.length);
            assertThat(Links.readExactly(stalling, reply.length)).isEqualTo(reply);
        }
    }

    @Test
    void slaveIsAPseudoTerminalDevice() {
        assertThat(pty.slavePath().toString()).startsWith("/dev/pts/");
        assertThat(Files.exists(pty.slavePath())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9, 64, 255, 256, 265, 1000, 4096})
    void binaryFramesCrossBothWaysUnchanged(int size) throws Exception {
        byte[] toToken = Frames.frame(size, size);
        byte[] toHost = Frames.frame(size, -size);
        try (HostPort host = HostPort.open(pty.slavePath())) {
            host.send(toToken);
            assertThat(Links.readExactly(pty, size)).isEqualTo(toToken);

            pty.write(toHost, 0, toHost.length);
            assertThat(host.receive(size)).isEqualTo(toHost);
        }
    }

    @Test
    void writeHonoursOffsetAndLength() throws Exception {
        byte[] frame = Frames.frame(300, 7);
        try (HostPort host = HostPort.open(pty.slavePath())) {
            pty.write(frame, 10, 200);
            byte[] expected = new byte[200];
            System.arraycopy(frame, 10, expected, 0, 200);
            assertThat(host.receive(200)).isEqualTo(expected);
        }
    }

    @Test
    void hostCanCloseAndReopenAndStaleOutputIsPurged() throws Exception {
        byte[] first = Frames.frame(512, 1);
        try (HostPort host = HostPort.open(pty.slavePath())) {
            pty.write(first, 0, first.length);
            assertThat(host.receive(first.length)).isEqualTo(first);
        }

        byte[] stale = "stale bytes nobody was there to read".getBytes(StandardCharsets.US_ASCII);
        pty.write(stale, 0, stale.length);
        // The token keeps reading while nobody is attached: no error, nothing to read.
        assertThat(pty.read(new byte[16], 0, 16, 50)).isZero();

        byte[] second = Frames.frame(1024, 2);
        byte[] reply = Frames.frame(700, 3);
        try (HostPort host = HostPort.open(pty.slavePath())) {
            pty.write(second, 0, second.length);
            assertThat(host.receive(second.length)).isEqualTo(second);
            assertThat(host.queued()).isZero();

            host.send(reply);
            assertThat(Links.readExactly(pty, reply.length)).isEqualTo(reply);
        }
    }

    @Test
    void tokenOutputIsNotEchoedBackBeforeAHostConfiguresTheLine() throws Exception {
        byte[] frame = Frames.frame(300, 5);
        pty.write(frame, 0, frame.length);

        // A cooked slave would echo the frame (CR/LF translated) back to the master.
        assertThat(pty.read(new byte[frame.length * 2], 0, frame.length * 2, 200)).isZero();
    }

    @Test
    void readTimesOutWithZeroWhenNoHostIsAttached() throws IOException {
        assertThat(pty.read(new byte[8], 0, 8, 200)).isZero();
    }

    @Test
    void idleReadWithSilentHostReturnsZeroWithoutSpinning() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (HostPort host = HostPort.open(pty.slavePath())) {
            long before = threads.getCurrentThreadCpuTime();
            int n = pty.read(new byte[8], 0, 8, 1_000);
            long used = threads.getCurrentThreadCpuTime() - before;

            assertThat(n).isZero();
            assertThat(used).isLessThan(IDLE_CPU_LIMIT_NANOS);
        }
    }

    @Test
    void idleReadWithoutHostDoesNotSpin() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        int n = pty.read(new byte[8], 0, 8, 1_000);
        long used = threads.getCurrentThreadCpuTime() - before;

        assertThat(n).isZero();
        assertThat(used).isLessThan(IDLE_CPU_LIMIT_NANOS);
    }

    @Test
    void discardInputDropsPendingBytes() throws Exception {
        byte[] junk = Frames.frame(40, 9);
        byte[] frame = Frames.frame(64, 10);
        try (HostPort host = HostPort.open(pty.slavePath())) {
            host.send(junk);
            // Wait for the junk to reach the master before discarding it.
            assertThat(Links.readExactly(pty, 1)).containsExactly(junk[0]);
            pty.discardInput();
            host.send(frame);
            assertThat(Links.readExactly(pty, frame.length)).isEqualTo(frame);
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() throws IOException {
        pty.close();
        pty.close();

        assertThatThrownBy(() -> pty.read(new byte[1], 0, 1, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> pty.write(new byte[1], 0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        CompletableFuture<Integer> reader = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                reader.complete(pty.read(new byte[1], 0, 1, TimeUnit.MINUTES.toMillis(5)));
            } catch (IOException | RuntimeException e) {
                reader.completeExceptionally(e);
            }
        }, "pty-reader");
        thread.setDaemon(true);
        thread.start();
        // Close only once the reader waits in poll(2): closed before, it would see "closed" on
        // entry and the test would not be about waking it.
        awaitInPoll(thread);
        assertThat(reader).isNotDone();
        pty.close();

        assertThatThrownBy(() -> reader.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(IOException.class);
    }

    /** Waits until {@code thread} is inside the native {@code LibC.poll}; fails after 30 s. */
    private static void awaitInPoll(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!inPoll(thread.getStackTrace())) {
            assertThat(System.nanoTime() - deadline).as("%s reached poll(2)", thread.getName()).isNegative();
            Thread.sleep(1);
        }
    }

    private static boolean inPoll(StackTraceElement[] stack) {
        return stack.length > 0 && stack[0].isNativeMethod() && stack[0].getClassName().equals(LibC.class.getName())
                && stack[0].getMethodName().equals("poll");
    }

    @Test
    void linkPointsAtTheSlaveAndIsRemovedAtClose(@TempDir Path dir) throws IOException {
        Path link = dir.resolve("ttyOTP");
        try (PseudoTerminal linked = PseudoTerminal.open(Optional.of(link))) {
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(Files.readSymbolicLink(link)).isEqualTo(linked.slavePath());
            assertThat(linked.link()).contains(link);
        }
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void linkCarriesData(@TempDir Path dir) throws Exception {
        Path link = dir.resolve("ttyOTP");
        byte[] frame = Frames.frame(300, 11);
        try (PseudoTerminal linked = PseudoTerminal.open(Optional.of(link));
                HostPort host = HostPort.open(link)) {
            host.send(frame);
            assertThat(Links.readExactly(linked, frame.length)).isEqualTo(frame);
        }
    }

    @Test
    void danglingLinkIsReplaced(@TempDir Path dir) throws IOException {
        Path link = dir.resolve("ttyOTP");
        Files.createSymbolicLink(link, dir.resolve("gone/pts/99"));
        try (PseudoTerminal linked = PseudoTerminal.open(Optional.of(link))) {
            assertThat(Files.readSymbolicLink(link)).isEqualTo(linked.slavePath());
        }
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void regularFileIsRefusedAndLeftUntouched(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "keep me", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> PseudoTerminal.open(Optional.of(file)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to replace " + file)
                .hasMessageContaining("not a symbolic link");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("keep me");
    }

    @Test
    void aLinkInADirectoryThatDoesNotExistSaysSo(@TempDir Path dir) {
        Path link = dir.resolve("missing/ttyOTP");
        assertThatThrownBy(() -> PseudoTerminal.open(Optional.of(link)))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot make the link " + link + ": no such directory");
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void liveLinkIsRefusedAndLeftUntouched(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("other");
        Files.writeString(target, "x", StandardCharsets.UTF_8);
        Path link = dir.resolve("ttyOTP");
        Files.createSymbolicLink(link, target);

        assertThatThrownBy(() -> PseudoTerminal.open(Optional.of(link)))
                .isInstanceOf(IOException.class).hasMessageContaining("refusing to replace " + link);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(target);
    }

    @Test
    void closeLeavesALinkThatWasRepointedByAnotherProcess(@TempDir Path dir) throws IOException {
        Path link = dir.resolve("ttyOTP");
        Path other = dir.resolve("other");
        try (PseudoTerminal linked = PseudoTerminal.open(Optional.of(link))) {
            Files.delete(link);
            Files.createSymbolicLink(link, other);
        }
        assertThat(Files.readSymbolicLink(link)).isEqualTo(other);
    }
}
