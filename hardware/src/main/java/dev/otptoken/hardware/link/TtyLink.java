package dev.otptoken.hardware.link;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import dev.otptoken.hardware.posix.LibC;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The host end of a serial device (a pseudo-terminal's slave, a tty) opened directly through
 * libc: raw mode, {@code poll(2)} with a timeout before every read, and a hang-up or EIO
 * reported as an {@link IOException}. jssc's native read can spin forever when the device
 * vanishes in the middle of it (docs/serial.md); this link never blocks outside
 * {@code poll}. Used where a test must survive a token that loses power mid-exchange.
 */
public final class TtyLink implements dev.otptoken.protocol.t1.ByteLink {
    private static final int BUFFER_BYTES = 4096;

    private final Path device;
    private final int fd;
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final Memory pollFd = new Memory(LibC.POLLFD_SIZE);
    private volatile boolean closed;

    private TtyLink(Path device, int fd) {
        this.device = device;
        this.fd = fd;
    }

    /** Opens {@code device} read-write in raw mode. */
    public static TtyLink open(Path device) throws IOException {
        Objects.requireNonNull(device, "device");
        int fd = LibC.open(device.toString(), LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(LibC.describe("open " + device, LibC.errno()));
        }
        byte[] termios = new byte[LibC.TERMIOS_BLOCK_SIZE];
        if (LibC.tcgetattr(fd, termios) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new IOException(LibC.describe("tcgetattr " + device, errno));
        }
        LibC.cfmakeraw(termios);
        if (LibC.tcsetattr(fd, LibC.TCSANOW, termios) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new IOException(LibC.describe("tcsetattr " + device, errno));
        }
        return new TtyLink(device, fd);
    }

    @Override
    public synchronized void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        int done = 0;
        while (done < len) {
            ensureOpen();
            int chunk = Math.min(BUFFER_BYTES, len - done);
            buffer.write(0, data, off + done, chunk);
            long n = LibC.write(fd, buffer, new NativeLong(chunk)).longValue();
            if (n < 0) {
                int errno = LibC.errno();
                if (errno == LibC.EINTR || errno == LibC.EAGAIN) {
                    continue;
                }
                throw new IOException(LibC.describe("write " + device, errno));
            }
            done += (int) n;
        }
    }

    @Override
    public synchronized int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        ensureOpen();
        pollFd.setInt(0, fd);
        pollFd.setShort(LibC.POLLFD_EVENTS_OFFSET, LibC.POLLIN);
        pollFd.setShort(LibC.POLLFD_REVENTS_OFFSET, (short) 0);
        int r = LibC.poll(pollFd, new NativeLong(1), (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeoutMillis)));
        if (r < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EINTR) {
                return 0;
            }
            throw new IOException(LibC.describe("poll " + device, errno));
        }
        if (r == 0) {
            return 0;
        }
        short revents = pollFd.getShort(LibC.POLLFD_REVENTS_OFFSET);
        if ((revents & LibC.POLLIN) == 0 && (revents & (LibC.POLLHUP | LibC.POLLERR | LibC.POLLNVAL)) != 0) {
            throw new IOException(device + ": the device hung up");
        }
        long n = LibC.read(fd, buffer, new NativeLong(Math.min(len, BUFFER_BYTES))).longValue();
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EINTR || errno == LibC.EAGAIN) {
                return 0;
            }
            throw new IOException(LibC.describe("read " + device, errno));
        }
        if (n == 0) {
            throw new IOException(device + ": the device hung up");
        }
        buffer.read(0, buf, off, (int) n);
        return (int) n;
    }

    @Override
    public synchronized void discardInput() throws IOException {
        byte[] sink = new byte[BUFFER_BYTES];
        while (read(sink, 0, sink.length, 0) > 0) {
            // drain what is queued now
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(device + " is closed");
        }
    }
}
