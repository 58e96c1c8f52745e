package dev.otptoken.hardware.link;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the pseudo-terminal needs, in one place. JNA direct mapping: no proxy,
 * no reflection per call, and primitive arrays are copied in and back out. The flag
 * values are those of Linux on x86-64 and AArch64 (the generic asm ABI); other
 * architectures (Alpha, MIPS, SPARC, PA-RISC) number them differently and are not
 * supported. Callers check the return value and then read {@link #errno()}: JNA saves
 * errno after every call, which is more reliable than {@code LastErrorException} for
 * functions that may leave errno set on success.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NOCTTY = 0x100;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    static final int TCSANOW = 0;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    /** {@code struct pollfd}: int fd, short events, short revents. */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS_OFFSET = 4;
    static final int POLLFD_REVENTS_OFFSET = 6;

    /**
     * {@code struct termios} handled as an opaque block: glibc's is 60 bytes, 128 leaves
     * room for any libc without mapping the fields we never touch.
     */
    static final int TERMIOS_BLOCK_SIZE = 128;

    /** tcflush: the data received but not read (Linux). */
    static final int TCIFLUSH = 0;

    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int posix_openpt(int flags);

    static native int grantpt(int fd);

    static native int unlockpt(int fd);

    static native int ptsname_r(int fd, byte[] buf, NativeLong buflen);

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int fcntl(int fd, int cmd, int arg);

    static native int pipe2(int[] fds, int flags);

    static native int tcgetattr(int fd, byte[] termios);

    static native void cfmakeraw(byte[] termios);

    static native int tcsetattr(int fd, int optionalActions, byte[] termios);

    /** Discards a terminal's queued data; {@code queue} is {@link #TCIFLUSH} etc. */
    static native int tcflush(int fd, int queue);

    static native int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

    static native NativeLong read(int fd, Pointer buf, NativeLong count);

    static native NativeLong write(int fd, Pointer buf, NativeLong count);

    static native String strerror(int errnum);

    static int errno() {
        return Native.getLastError();
    }

    /** "name: strerror text (errno N)" for exception messages. */
    static String describe(String call, int errno) {
        return call + ": " + strerror(errno) + " (errno " + errno + ")";
    }
}
