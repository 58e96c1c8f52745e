package dev.otptoken.benchmarks;

import dev.otptoken.host.qr.QrDecoder;
import dev.otptoken.host.qr.QrEncoder;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.qr.QrText;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a phone screenshot (1080×2340) with one otpauth QR code in the middle: the
 * common case of {@code provision IMAGE}, which should take the first, cheap path.
 *
 * <p>With {@code -p image=FILE} the operation is {@code QrDecoder.decode(Path)} instead, file
 * read included, on an image given from outside: {@code benchmarks/compare.sh} passes the same
 * file it gives {@code zbarimg}, which also reads and decodes the file each time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class QrDecodeBenchmark {
    private static final int WIDTH = 1080;
    private static final int HEIGHT = 2340;
    private static final int MODULE_SIZE = 8;
    private static final String URI =
            "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&period=30";

    /** An image file to decode instead of the drawn screenshot; empty for the drawn one. */
    @Param({""})
    public String image;

    private BufferedImage screenshot;
    private Path file;

    @Setup
    public void setUp() throws QrException {
        if (!image.isEmpty()) {
            file = Path.of(image);
            if (QrDecoder.decode(file).isEmpty()) {
                throw new IllegalStateException("benchmark image does not decode: " + image);
            }
        }
        BufferedImage code = QrEncoder.render(URI, MODULE_SIZE);
        screenshot = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = screenshot.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(new Color(0x30, 0x60, 0xC0));
            g.fillRect(0, 0, WIDTH, 180);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
            g.drawString("Set up your authenticator app", 80, 400);
            g.drawString("Scan this QR code, then enter the code", 80, 460);
            g.drawImage(code, (WIDTH - code.getWidth()) / 2, (HEIGHT - code.getHeight()) / 2, null);
            g.drawString("Can't scan it? Enter the key by hand.", 80, 1900);
        } finally {
            g.dispose();
        }
        List<QrText> found = QrDecoder.decode(screenshot);
        if (found.size() != 1 || !found.get(0).text().equals(URI)) {
            throw new IllegalStateException("benchmark image does not decode");
        }
    }

    @Benchmark
    public List<QrText> decodeScreenshot() throws QrException {
        return file == null ? QrDecoder.decode(screenshot) : QrDecoder.decode(file);
    }
}
