package dev.otptoken.hardware.posix;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the hardware needs (the pseudo-terminal, a serial device, the state file's
 * lock), in one place. JNA direct mapping: no proxy,
 * no reflection per call, and primitive arrays are copied in and back out. The flag
 * values are those of Linux on x86-64 and AArch64, which agree on all of them but
 * {@link #O_NOFOLLOW} (AArch64 numbers its O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE
 * apart); other architectures (Alpha, MIPS, SPARC, PA-RISC) number them differently and are
 * not supported. Callers check the return value and then read {@link #errno()}: JNA saves
 * errno after every call, which is more reliable than {@code LastErrorException} for
 * functions that may leave errno set on success.
 */
public final class LibC {
    public static final int O_RDONLY = 0x0;
    public static final int O_RDWR = 0x2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    /** The one flag used here that AArch64 (and 32-bit ARM) numbers apart from x86-64: 0100000 there, 0400000 here. */
    public static final int O_NOFOLLOW = Platform.isARM() ? 0x8000 : 0x20000;
    public static final int O_CLOEXEC = 0x80000;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;

    public static final int TCSANOW = 0;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    /** {@code struct pollfd}: int fd, short events, short revents. */
    public static final int POLLFD_SIZE = 8;
    public static final int POLLFD_EVENTS_OFFSET = 4;
    public static final int POLLFD_REVENTS_OFFSET = 6;

    /**
     * {@code struct termios} handled as an opaque block: glibc's is 60 bytes, 128 leaves
     * room for any libc without mapping the fields we never touch.
     */
    public static final int TERMIOS_BLOCK_SIZE = 128;

    /** tcflush: the data received but not read (Linux). */
    public static final int TCIFLUSH = 0;

    /** flock: an exclusive lock; with {@link #LOCK_NB}, refused at once when held elsewhere. */
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;

    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    /** Also {@code EWOULDBLOCK}: a lock held by another open file. */
    public static final int EWOULDBLOCK = EAGAIN;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    public static native int posix_openpt(int flags);

    public static native int grantpt(int fd);

    public static native int unlockpt(int fd);

    public static native int ptsname_r(int fd, byte[] buf, NativeLong buflen);

    public static native int open(String path, int flags);

    public static native int close(int fd);

    /**
     * {@code flock(2)}: a lock on the open file, which a descriptor opened read-only can take
     * (a {@code fcntl} write lock, Java's {@code FileChannel.lock}, needs one opened for
     * writing); it goes with the last descriptor of the open file, however the process ends.
     */
    public static native int flock(int fd, int operation);

    public static native int fcntl(int fd, int cmd, int arg);

    public static native int pipe2(int[] fds, int flags);

    public static native int tcgetattr(int fd, byte[] termios);

    public static native void cfmakeraw(byte[] termios);

    public static native int tcsetattr(int fd, int optionalActions, byte[] termios);

    /** Discards a terminal's queued data; {@code queue} is {@link #TCIFLUSH} etc. */
    public static native int tcflush(int fd, int queue);

    public static native int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

    public static native NativeLong read(int fd, Pointer buf, NativeLong count);

    public static native NativeLong write(int fd, Pointer buf, NativeLong count);

    public static native String strerror(int errnum);

    public static int errno() {
        return Native.getLastError();
    }

    /** "name: strerror text (errno N)" for exception messages. */
    public static String describe(String call, int errno) {
        return call + ": " + strerror(errno) + " (errno " + errno + ")";
    }
}
