package dev.otptoken.host.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Whatever bytes a file holds, decoding ends in texts or a QrException, never another exception. */
class QrDecoderProperties {

    @Property(tries = 60)
    void anyFileBytesEndInTextsOrQrException(@ForAll byte[] content) throws IOException {
        check(content);
    }

    @Property(tries = 60)
    void damagedPngEndsInTextsOrQrException(@ForAll @IntRange(min = 0, max = 2000) int cut,
            @ForAll @IntRange(min = 0, max = 2000) int flip, @ForAll byte value) throws IOException {
        byte[] png;
        try (InputStream in = QrDecoderProperties.class.getResourceAsStream("/qr/totp.png")) {
            png = in.readAllBytes();
        }
        byte[] damaged = Arrays.copyOf(png, Math.min(png.length, 8 + cut));
        damaged[flip % damaged.length] ^= value;
        check(damaged);
    }

    private static void check(byte[] content) throws IOException {
        Path file = Files.createTempFile("qr-property", ".png");
        try {
            Files.write(file, content);
            try {
                assertThat(QrDecoder.decode(file)).isNotEmpty();
            } catch (QrException e) {
                assertThat(e.getMessage()).doesNotContain("\n")
                        .satisfiesAnyOf(m -> assertThat(m).startsWith("cannot read image " + file + ": "),
                                m -> assertThat(m).isEqualTo("no QR code found in " + file));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
