package dev.otptoken.jssc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jssc.SerialNativeInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsscLibraryTest {
    private static final byte[] LIBRARY = "\u007fELF not really a library".getBytes();

    @TempDir Path root;

    @Test
    void writesTheLibraryOnceIntoAnOwnerOnlyDirectoryNamedByItsContents() throws IOException {
        Path dir = JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY);

        // CRC-32 of LIBRARY: the name changes with the contents
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(LIBRARY);
        assertThat(dir).isEqualTo(root.resolve("linux_64-" + Long.toHexString(crc.getValue())));
        assertThat(Files.readAllBytes(dir.resolve("libjssc.so"))).isEqualTo(LIBRARY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Object inode = Files.getAttribute(dir.resolve("libjssc.so"), "unix:ino");

        assertThat(JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY)).isEqualTo(dir);
        assertThat(Files.getAttribute(dir.resolve("libjssc.so"), "unix:ino")).as("kept, not written again").isEqualTo(inode);
        assertThat(names(dir)).containsExactly("libjssc.so");
    }

    @Test
    void aDamagedCopyIsWrittenAgain() throws IOException {
        Path dir = JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY);
        Files.write(dir.resolve("libjssc.so"), new byte[] {0x7f, 'E'});

        JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY);

        assertThat(Files.readAllBytes(dir.resolve("libjssc.so"))).isEqualTo(LIBRARY);
        assertThat(names(dir)).containsExactly("libjssc.so");
    }

    @Test
    void anotherBuildOfTheLibraryGoesToAnotherDirectory() throws IOException {
        Path first = JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY);
        byte[] other = "\u007fELF another build".getBytes();
        Path second = JsscLibrary.install(root, "linux_64", "libjssc.so", other);

        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readAllBytes(first.resolve("libjssc.so"))).isEqualTo(LIBRARY);
        assertThat(Files.readAllBytes(second.resolve("libjssc.so"))).isEqualTo(other);
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws IOException {
        Path dir = JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("writable by others");
    }

    @Test
    void installsStartedTogetherAllSeeTheWholeFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> installs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                installs.add(pool.submit(() -> {
                    Path dir = JsscLibrary.install(root, "linux_64", "libjssc.so", LIBRARY);
                    assertThat(Files.readAllBytes(dir.resolve("libjssc.so"))).isEqualTo(LIBRARY);
                    return dir;
                }));
            }
            Set<Path> dirs = new java.util.HashSet<>();
            for (Future<Path> install : installs) {
                dirs.add(install.get());
            }
            assertThat(dirs).hasSize(1);
            assertThat(names(dirs.iterator().next())).as("no partial file left").containsExactly("libjssc.so");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The real thing, in this JVM (nothing else here loads jssc): jssc maps the library from
     * the directory set (the JVM's own map of its memory says which file), not a copy.
     */
    @Test
    void jsscLoadsTheKeptCopy() throws IOException {
        String before = System.getProperty(JsscLibrary.BOOT_PATH);
        try {
            System.clearProperty(JsscLibrary.BOOT_PATH);
            JsscLibrary.configure(root);
            String bootPath = System.getProperty(JsscLibrary.BOOT_PATH);
            assertThat(bootPath).startsWith(root.resolve("otptoken").resolve("jssc").toString());
            assertThat(Path.of(bootPath).resolve("libjssc.so")).isRegularFile();

            assertThat(SerialNativeInterface.getNativeLibraryVersion()).isNotBlank();

            List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("jssc")).map(l -> l.substring(l.indexOf('/'))).distinct().toList();
            assertThat(mapped).containsExactly(Path.of(bootPath).resolve("libjssc.so").toString());

            // set already (here by the first call): the user's or an earlier choice stands
            JsscLibrary.configure(root.resolve("elsewhere"));
            assertThat(System.getProperty(JsscLibrary.BOOT_PATH)).isEqualTo(bootPath);
        } finally {
            if (before == null) {
                System.clearProperty(JsscLibrary.BOOT_PATH);
            } else {
                System.setProperty(JsscLibrary.BOOT_PATH, before);
            }
        }
    }

    @Test
    void withoutACacheHomeNothingIsSet() {
        String before = System.getProperty(JsscLibrary.BOOT_PATH);
        try {
            System.clearProperty(JsscLibrary.BOOT_PATH);
            JsscLibrary.configure(null);
            assertThat(System.getProperty(JsscLibrary.BOOT_PATH)).isNull();
        } finally {
            if (before != null) {
                System.setProperty(JsscLibrary.BOOT_PATH, before);
            }
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
