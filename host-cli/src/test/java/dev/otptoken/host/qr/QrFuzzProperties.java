package dev.otptoken.host.qr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import net.jqwik.api.Example;

/**
 * Fuzzes the QR path: file bytes through {@link QrDecoder#decode(Path)} (random bytes and
 * mutated PNGs made by {@link QrEncoder}) end in texts or {@link QrException}; images through
 * {@link QrDecoder#decode(BufferedImage)} (random noise, and real codes with damaged pixels)
 * end in a list, and an undamaged code still reads back as its text. Image decodes are slow
 * (up to {@link QrDecoder#MAX_ATTEMPTS} ZXing passes each), hence the small CI count.
 */
class QrFuzzProperties {
    private static final long CI_INPUTS = 100;
    private static final int BATCH = 50;
    private static final int MAX_RANDOM_FILE = 2_000;
    private static final int MAX_NOISE_SIDE = 240;
    private static final int MAX_MODULE = 4;
    private static final int MAX_DAMAGE = 6;
    private static final int BLACK = 0x000000;
    private static final int WHITE = 0xFFFFFF;
    private static final int RGB_MASK = 0xFFFFFF;
    private static final String PNG = "png";
    private static final List<String> TEXTS = List.of(
            "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
            "otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=5&digits=8",
            "otpauth-migration://offline?data=CjYKCkhlbGxvId6tvu8SGUV4YW1wbGU6YWxpY2VAZXhhbXBsZS5jb20aB0V4YW1wbGU"
                    + "gASgBMAIKJQoUMTIzNDU2Nzg5MDEyMzQ1Njc4OTASA2JvYhoAIAIoAjABOAcKEAoFAQIDBAUSA29sZCAEMAIQARgBIAAowMQH");

    @Example
    void anyFileOrImageEndsInTextsOrQrException() throws IOException, QrException {
        List<byte[]> pngs = new ArrayList<>();
        for (String text : TEXTS) {
            for (int module = 1; module <= 2; module++) {
                pngs.add(png(QrEncoder.render(text, module)));
            }
        }
        Path file = Files.createTempFile("qr-fuzz", ".png");
        try {
            FuzzSupport.run("qr", FuzzSupport.inputs("qr", CI_INPUTS), BATCH, (random, i) -> {
                switch (random.nextInt(4)) {
                    case 0 -> decodeFile(file, FuzzSupport.randomBytes(random, MAX_RANDOM_FILE));
                    case 1 -> decodeFile(file, FuzzSupport.mutate(random, pngs));
                    case 2 -> assertThat(QrDecoder.decode(noise(random))).isNotNull();
                    default -> damagedCode(random);
                }
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void decodeFile(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        List<QrText> texts = FuzzSupport.valueOrDeclared(QrException.class, head(content), () -> QrDecoder.decode(file));
        if (texts != null) {
            assertThat(texts).isNotEmpty();
        }
    }

    /** A real code, damaged with 0..{@value #MAX_DAMAGE} strokes; undamaged it must read back. */
    private static void damagedCode(Random random) throws QrException {
        String text = TEXTS.get(random.nextInt(TEXTS.size()));
        BufferedImage image = QrEncoder.render(text, 1 + random.nextInt(MAX_MODULE));
        int strokes = random.nextInt(MAX_DAMAGE + 1);
        for (int s = 0; s < strokes; s++) {
            damage(random, image);
        }
        List<QrText> found = QrDecoder.decode(image);
        assertThat(found).isNotNull();
        if (strokes == 0) {
            assertThat(found).extracting(QrText::text).containsExactly(text);
        }
    }

    private static void damage(Random random, BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int x0 = random.nextInt(w);
        int y0 = random.nextInt(h);
        int x1 = Math.min(w, x0 + 1 + random.nextInt(w / 3 + 1));
        int y1 = Math.min(h, y0 + 1 + random.nextInt(h / 3 + 1));
        int kind = random.nextInt(4);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = switch (kind) {
                    case 0 -> BLACK;
                    case 1 -> WHITE;
                    case 2 -> ~image.getRGB(x, y) & RGB_MASK;
                    default -> random.nextInt() & RGB_MASK;
                };
                image.setRGB(x, y, rgb);
            }
        }
    }

    /** Random size (including 1 px sides), random pixels or random blocks. */
    private static BufferedImage noise(Random random) {
        int w = 1 + random.nextInt(MAX_NOISE_SIDE);
        int h = 1 + random.nextInt(MAX_NOISE_SIDE);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int block = 1 + random.nextInt(8);
        boolean[][] cells = new boolean[h / block + 1][w / block + 1];
        for (boolean[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextBoolean();
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, block == 1 ? random.nextInt() & RGB_MASK : (cells[y / block][x / block] ? BLACK : WHITE));
            }
        }
        return image;
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, PNG, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Enough of the file to recognise it in a failure message. */
    private static byte[] head(byte[] content) {
        return Arrays.copyOf(content, Math.min(content.length, 64));
    }
}
