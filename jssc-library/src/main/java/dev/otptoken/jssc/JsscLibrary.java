package dev.otptoken.jssc;

import dev.otptoken.log.Log;
import dev.otptoken.xdg.NoHomeDirectoryException;
import dev.otptoken.xdg.XdgBaseDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;
import org.scijava.nativelib.NativeLibraryUtil;

/**
 * jssc's native library, kept once per user and build of it instead of unpacked by every
 * process that opens a serial port (docs/serial.md, "jssc's native library").
 *
 * <p>Left to itself, jssc's loader (scijava's native-lib-loader) copies {@code libjssc.so}
 * into a new {@code java.io.tmpdir/nativelib-loader_*} directory at every start, and first
 * deletes such directories of other processes that look older than five minutes. The age
 * test reads the modification time of each directory it lists; one that another process
 * has just made (a temporary file, deleted, then made again as a directory) reads as time
 * zero in between, so it is deleted, and that process's copy then fails: "Could not load
 * the jssc library". Many commands started together hit it now and then.
 *
 * <p>{@link #prepare()} therefore writes the library once, to
 * {@code $XDG_CACHE_HOME/otptoken/jssc/PLATFORM-CRC/} (else {@code ~/.cache/...}), a
 * directory only its owner may write, under a name that changes with its contents, and
 * points jssc's own {@code jssc.boot.library.path} there, so that jssc loads it from there
 * and copies nothing. The file is written under a temporary name and renamed, so a process
 * sees the whole file or none; it is compared with the jar's copy at every start and
 * written again when it differs. Whenever any of this fails (no home, a read-only disk, a
 * platform jssc has no library for), nothing is set and jssc unpacks as before.
 */
public final class JsscLibrary {
    /** jssc's property: the directory it loads its library from instead of unpacking it. */
    static final String BOOT_PATH = "jssc.boot.library.path";
    /** Where jssc's jar keeps its libraries, one directory per platform. */
    private static final String NATIVES = "natives/";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static boolean prepared;

    private JsscLibrary() {}

    /**
     * Sets {@code jssc.boot.library.path} to this user's copy of the library, writing it
     * first when it is missing or differs; does nothing when the property is set already
     * or after the first call. Call before the first use of a jssc serial port.
     */
    public static synchronized void prepare() {
        if (!prepared) {
            prepared = true;
            configure(cacheHome());
        }
    }

    /** {@link #prepare()}'s work with {@code cache} as the cache home (null: none). */
    static void configure(Path cache) {
        if (System.getProperty(BOOT_PATH) != null) {
            return;
        }
        if (cache == null) {
            Log.debug("jssc: no cache directory (no absolute XDG_CACHE_HOME, no home); jssc unpacks its library");
            return;
        }
        try {
            String platform = NativeLibraryUtil.getPlatformLibraryPath(NATIVES);
            String name = NativeLibraryUtil.getPlatformLibraryName("jssc");
            byte[] library = resource(platform + name);
            if (library == null) {
                Log.debug("jssc: no {}{} in the jar; jssc looks for its library itself", platform, name);
                return;
            }
            String platformName = platform.substring(NATIVES.length()).replace("/", "");
            Path dir = install(cache.resolve("otptoken").resolve("jssc"), platformName, name, library);
            System.setProperty(BOOT_PATH, dir.toString());
        } catch (IOException | RuntimeException e) {
            Log.debug("jssc: cannot keep its library in {} ({}); jssc unpacks it", cache, e.toString());
        }
    }

    /**
     * Makes {@code root/PLATFORM-CRC/NAME} hold exactly {@code library} and returns its
     * directory. The directory is made owner-only; an existing one that others may write is
     * refused (an {@link IOException}), as its file could be swapped between the check and
     * the load.
     */
    static Path install(Path root, String platform, String name, byte[] library) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(library);
        Path dir = root.resolve(platform + "-" + Long.toHexString(crc.getValue()));
        Path file = dir.resolve(name);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(root);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException madeMeanwhile) {
                // another process made it: checked below like any existing one
            }
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by others");
        }
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), library)) {
            return dir;
        }
        Path partial = Files.createTempFile(dir, name, ".partial");
        try {
            Files.write(partial, library);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return dir;
    }

    /** The cache home of docs/otptoken-cli.md, "Files" ({@code ~/.cache}); null without one. */
    static Path cacheHome() {
        try {
            return XdgBaseDirectory.CACHE.of();
        } catch (NoHomeDirectoryException e) {
            return null;
        }
    }

    private static byte[] resource(String path) throws IOException {
        ClassLoader loader = jssc.SerialPort.class.getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
