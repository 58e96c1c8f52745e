package dev.otptoken.host.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QrDecoderTest {
    static final String TOTP = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    static final String HOTP = "otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=5&digits=8";

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = QrDecoderTest.class.getResourceAsStream("/qr/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    private String expected(String name) throws IOException {
        try (InputStream in = QrDecoderTest.class.getResourceAsStream("/qr/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> texts(Path image) throws QrException {
        return QrDecoder.decode(image).stream().map(QrText::text).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"totp", "hotp", "migration", "https"})
    void decodesCommittedQrencodeImages(String name) throws Exception {
        assertThat(texts(resource(name + ".png"))).containsExactly(expected(name + ".txt"));
    }

    @Test
    void committedImagesParseToCredentials() throws Exception {
        OtpInput totp = OtpInput.parse(texts(resource("totp.png")).get(0));
        assertThat(totp.credentials().get(0).name().display()).isEqualTo("Example:alice@example.com");
        OtpInput migration = OtpInput.parse(texts(resource("migration.png")).get(0));
        assertThat(migration.credentials()).extracting(c -> c.name().display())
                .containsExactly("Example:alice@example.com", "bob");
        assertThat(migration.skipped()).extracting(Object::toString)
                .containsExactly("Skipped[name=old, reason=unsupported algorithm MD5]");
    }

    /**
     * A pipe ({@code qr encode --out - | qr decode /dev/stdin}, {@code <(...)}) cannot seek back
     * as the image readers do to recognise a format: it is read whole first, and decodes as the
     * same bytes in a file do; a pipe of something else is still "not an image".
     */
    @Test
    void readsAnImageFromAPipe() throws Exception {
        Path png = resource("totp.png");
        Path fifo = dir.resolve("fifo");
        ExternalTool.run("mkfifo", fifo.toString());
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, Files.readAllBytes(png));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertThat(texts(fifo)).containsExactly(expected("totp.txt"));
        writer.join();

        Thread text = new Thread(() -> {
            try {
                Files.writeString(fifo, "not a picture\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        text.start();
        assertThatThrownBy(() -> texts(fifo)).isInstanceOf(QrException.class)
                .hasMessage("cannot read image " + fifo + ": not an image");
        text.join();
    }

    @Test
    void qrHoldingAWebAddressIsNotAnOtpauthUri() throws Exception {
        String text = texts(resource("https.png")).get(0);
        assertThat(text).isEqualTo("https://example.com");
        assertThatThrownBy(() -> OtpInput.parse(text))
                .isInstanceOf(InvalidUriException.class)
                .hasMessage(OtpInput.NOT_OTPAUTH);
    }

    /** Each row: a file name and the ImageMagick arguments between input and output. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "jpeg60.jpg   | -quality 60",
        "code.gif     | ",
        "code.bmp     | ",
        "rotated17.png| -background white -rotate 17",
        "rotated90.png| -rotate 90",
        "rotated180.jpg| -rotate 180 -quality 80",
        "negated.png  | -negate",
        "lowcontrast.png| +level 42%,58%",
        "photo.jpg    | -blur 0x1 -attenuate 0.4 +noise Gaussian -quality 70",
        "perspective.png| -background white -virtual-pixel white -distort Perspective 0,0,15,20__300,0,280,0__0,300,0,300__300,300,300,270",
    })
    void decodesImagesMadeByOtherTools(String name, String args) throws Exception {
        Path base = dir.resolve("base.png");
        ExternalTool.run("qrencode", "-o", base.toString(), "-s", "6", "-l", "M", TOTP);
        Path out = dir.resolve(name.strip());
        String[] extra = args == null ? new String[0]
                : Arrays.stream(args.strip().split(" ")).map(a -> a.replace("__", " ")).toArray(String[]::new);
        // Perspective control points are written for a 300px image: scale the base first.
        String[] command = concat(new String[] {"convert", base.toString(), "-resize", "300x300"}, extra,
                new String[] {out.toString()});
        ExternalTool.run(command);
        assertThat(texts(out)).containsExactly(TOTP);
    }

    @Test
    void decodesATinyImage() throws Exception {
        Path tiny = dir.resolve("tiny.png");
        ExternalTool.run("qrencode", "-o", tiny.toString(), "-s", "1", "-l", "M", TOTP);
        assertThat(ImageIO.read(tiny.toFile()).getWidth()).isLessThan(60);
        assertThat(texts(tiny)).containsExactly(TOTP);
    }

    @Test
    void decodesTwoCodesSideBySideOnce() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        Path both = dir.resolve("both.png");
        ExternalTool.run("qrencode", "-o", a.toString(), "-s", "6", TOTP);
        ExternalTool.run("qrencode", "-o", b.toString(), "-s", "6", HOTP);
        ExternalTool.run("convert", a.toString(), b.toString(), a.toString(), "+append", both.toString());
        assertThat(texts(both)).containsExactlyInAnyOrder(TOTP, HOTP);
    }

    @Test
    void decodesAPhoneScreenshot() throws Exception {
        Path code = dir.resolve("code.png");
        Path shot = dir.resolve("shot.png");
        ExternalTool.run("qrencode", "-o", code.toString(), "-s", "8", HOTP);
        ExternalTool.run("convert", "-size", "1080x2340", "xc:#f4f4f4", "-fill", "#3060c0",
                "-draw", "rectangle 0,0 1080,200", code.toString(), "-gravity", "center", "-composite",
                shot.toString());
        assertThat(texts(shot)).containsExactly(HOTP);
    }

    @Test
    void transparentBackgroundCountsAsWhite() throws Exception {
        BufferedImage code = QrEncoder.render(TOTP, 5);
        BufferedImage argb = new BufferedImage(code.getWidth(), code.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < code.getHeight(); y++) {
            for (int x = 0; x < code.getWidth(); x++) {
                argb.setRGB(x, y, (code.getRGB(x, y) & 0xFFFFFF) == 0 ? 0xFF000000 : 0x00000000);
            }
        }
        Path file = dir.resolve("transparent.png");
        ImageIO.write(argb, "png", file.toFile());
        assertThat(texts(file)).containsExactly(TOTP);
    }

    @Test
    void javaDrawnLowContrastNoisyRotatedScreenshot() throws Exception {
        // Without external tools: grey-on-grey code, turned, with speckle, on a large canvas.
        BufferedImage code = QrEncoder.render(HOTP, 4);
        BufferedImage canvas = new BufferedImage(900, 1400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(150, 150, 150));
        g.fillRect(0, 0, 900, 1400);
        g.rotate(Math.toRadians(30), 450, 700);
        g.drawImage(code, 450 - code.getWidth() / 2, 700 - code.getHeight() / 2, null);
        g.dispose();
        Random random = new Random(7);
        for (int y = 0; y < canvas.getHeight(); y++) {
            for (int x = 0; x < canvas.getWidth(); x++) {
                int v = (canvas.getRGB(x, y) & 0xFF) < 128 ? 90 : 150;
                v = Math.max(0, Math.min(255, v + (int) (random.nextGaussian() * 6)));
                canvas.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        Path file = dir.resolve("hard.png");
        ImageIO.write(canvas, "png", file.toFile());
        assertThat(texts(file)).containsExactly(HOTP);
    }

    @Test
    void qrTextToStringIsRedacted() throws Exception {
        List<QrText> found = QrDecoder.decode(resource("totp.png"));
        assertThat(found.toString()).isEqualTo("[QrText[redacted, " + TOTP.length() + " chars]]")
                .doesNotContain("JBSWY3DPEHPK3PXP");
    }

    // ---- bad inputs: exact type and message ----

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.png");
        assertThatThrownBy(() -> QrDecoder.decode(p)).isInstanceOf(QrException.class)
                .hasMessage("cannot read image " + p + ": no such file");
    }

    @Test
    void directory() {
        assertThatThrownBy(() -> QrDecoder.decode(dir)).isInstanceOf(QrException.class)
                .hasMessage("cannot read image " + dir + ": is a directory");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertThatThrownBy(() -> QrDecoder.decode(p)).isInstanceOf(QrException.class)
                .hasMessage("cannot read image " + p + ": not an image");
    }

    @Test
    void textFileNamedPng() throws IOException {
        Path p = Files.writeString(dir.resolve("notes.png"), "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n");
        assertThatThrownBy(() -> QrDecoder.decode(p)).isInstanceOf(QrException.class)
                .hasMessage("cannot read image " + p + ": not an image");
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] png = Files.readAllBytes(resource("totp.png"));
        Path p = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> QrDecoder.decode(p)).isInstanceOf(QrException.class)
                .hasMessage("cannot read image " + p + ": damaged, truncated or unsupported image");
    }

    @Test
    void imageWithoutQrCode() throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.BLACK);
        g.drawString("no code here", 40, 120);
        g.fillRect(200, 40, 60, 60);
        g.dispose();
        Path p = dir.resolve("plain.png");
        ImageIO.write(img, "png", p.toFile());
        assertThatThrownBy(() -> QrDecoder.decode(p)).isInstanceOf(QrException.class)
                .hasMessage("no QR code found in " + p);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 11_999_999, 12_000_000, 12_000_001, 39_900_000, 40_000_000, 48_000_000})
    void subsamplingKeepsEveryWorkingCopyWithinTheBound(long pixels) {
        int step = QrDecoder.subsampling(pixels);
        long kept = (pixels + (long) step * step - 1) / ((long) step * step);
        assertThat(kept).isLessThanOrEqualTo(QrDecoder.WORK_PIXELS);
        if (step > 1) {
            long withOneLess = (pixels + (long) (step - 1) * (step - 1) - 1) / ((long) (step - 1) * (step - 1));
            assertThat(withOneLess).as("the smallest step").isGreaterThan(QrDecoder.WORK_PIXELS);
        }
    }

    @Test
    void decodesAnImageLargerThanTheWorkingBoundBySubsamplingIt() throws Exception {
        BufferedImage small = QrEncoder.render(TOTP, QrEncoder.MAX_MODULE_SIZE);
        BufferedImage code = new BufferedImage(2 * small.getWidth(), 2 * small.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = code.createGraphics();
        g.drawImage(small, 0, 0, code.getWidth(), code.getHeight(), null);
        g.dispose();
        assertThat((long) code.getWidth() * code.getHeight()).isGreaterThan(QrDecoder.WORK_PIXELS);
        Path file = dir.resolve("huge.png");
        ImageIO.write(code, "png", file.toFile());
        assertThat(texts(file)).containsExactly(TOTP);
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
