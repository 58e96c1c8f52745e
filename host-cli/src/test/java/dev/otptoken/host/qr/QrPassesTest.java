package dev.otptoken.host.qr;

import static dev.otptoken.host.qr.QrDecoderTest.HOTP;
import static dev.otptoken.host.qr.QrDecoderTest.TOTP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which pass finds a code (docs/qr-otpauth.md, "Decoding hard images"): the cheap first pass
 * for clean codes and screenshots, the expensive ones only after it missed; and many files
 * decoded on several threads come back in order.
 */
class QrPassesTest {
    @TempDir
    Path dir;

    private static QrDecoder.Found search(BufferedImage image) {
        return QrDecoder.search(QrDecoder.Gray.of(image));
    }

    private static List<String> texts(QrDecoder.Found found) {
        return found.texts().stream().map(QrText::text).toList();
    }

    /** {@code code} drawn at the middle of a phone-sized light screen with a coloured header. */
    private static BufferedImage screenshot(BufferedImage code) {
        BufferedImage shot = new BufferedImage(1080, 2340, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = shot.createGraphics();
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(0, 0, 1080, 2340);
        g.setColor(new Color(0x3060c0));
        g.fillRect(0, 0, 1080, 200);
        g.drawImage(code, (1080 - code.getWidth()) / 2, (2340 - code.getHeight()) / 2, null);
        g.dispose();
        return shot;
    }

    /** {@code image} holds {@code text} alone, found by the pass {@code pass}, the {@code passes}-th tried. */
    private static void foundBy(BufferedImage image, String text, String pass, int passes) {
        QrDecoder.Found found = search(image);
        assertThat(texts(found)).containsExactly(text);
        assertThat(found.pass()).isEqualTo(pass);
        assertThat(found.passes()).isEqualTo(passes);
    }

    @Test
    void aCleanCodeIsFoundByTheFirstPass() throws Exception {
        foundBy(QrEncoder.render(TOTP, 4), TOTP, "full size", 1);
    }

    @Test
    void aScreenshotIsReadAtHalfSizeInOnePass() throws Exception {
        foundBy(screenshot(QrEncoder.render(HOTP, 8)), HOTP, "half size", 1);
    }

    @Test
    void aScreenshotWithModulesTooSmallToHalveIsReadAtFullSizeNext() throws Exception {
        foundBy(screenshot(QrEncoder.render(HOTP, 2)), HOTP, "full size", 2);
    }

    @Test
    void lightOnDarkTakesTheSlowPasses() throws Exception {
        BufferedImage code = QrEncoder.render(TOTP, 4);
        BufferedImage negative = new BufferedImage(code.getWidth(), code.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < code.getHeight(); y++) {
            for (int x = 0; x < code.getWidth(); x++) {
                negative.setRGB(x, y, ~code.getRGB(x, y) & 0xFFFFFF);
            }
        }
        foundBy(negative, TOTP, "inverted", 3);
    }

    @Test
    void nothingFoundRunsEveryPassUpToTheBound() throws Exception {
        BufferedImage blank = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
        QrDecoder.Found found = search(blank);
        assertThat(found.texts()).isEmpty();
        assertThat(found.pass()).isNull();
        // full size, global histogram, inverted, 2 stretched, 2 x (pure, plain, inverted) upscaled, 2 blurred, 3 turns
        assertThat(found.passes()).isEqualTo(1 + 2 + 2 + 6 + 2 + 3);
    }

    @Test
    void aPaletteImageHasTheGreyLevelsOfItsColours() {
        byte[] r = {0, (byte) 255, (byte) 200, 10};
        byte[] g = {0, (byte) 255, (byte) 100, 20};
        byte[] b = {0, (byte) 255, (byte) 50, 30};
        byte[] a = {(byte) 255, (byte) 255, (byte) 255, (byte) 128};
        IndexColorModel palette = new IndexColorModel(2, 4, r, g, b, a);
        BufferedImage indexed = new BufferedImage(7, 3, BufferedImage.TYPE_BYTE_BINARY, palette);
        BufferedImage argb = new BufferedImage(7, 3, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 7; x++) {
                indexed.getRaster().setSample(x, y, 0, (x + 3 * y) % 4);
                argb.setRGB(x, y, indexed.getRGB(x, y));
            }
        }
        assertThat(QrDecoder.Gray.of(indexed).levels).containsExactly(QrDecoder.Gray.of(argb).levels);
    }

    @Test
    void manyFilesComeBackInTheirOrderAndTheFirstBadOneThrows() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        Path missing = dir.resolve("missing.png");
        ImageIO.write(QrEncoder.render(TOTP, 3), "png", a.toFile());
        ImageIO.write(QrEncoder.render(HOTP, 5), "png", b.toFile());
        List<Path> images = List.of(a, b, a, b, b, a, missing, a);
        try (QrDecoder.Batch batch = new QrDecoder.Batch(images, 3)) {
            for (Path image : images.subList(0, 6)) {
                assertThat(batch.next().stream().map(QrText::text)).containsExactly(image == a ? TOTP : HOTP);
            }
            assertThatThrownBy(batch::next).isInstanceOf(QrException.class)
                    .hasMessage("cannot read image " + missing + ": no such file");
            assertThat(batch.next().stream().map(QrText::text)).containsExactly(TOTP);
        }
    }
}
