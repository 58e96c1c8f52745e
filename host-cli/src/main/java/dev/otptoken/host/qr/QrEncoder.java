package dev.otptoken.host.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.otptoken.files.FileReason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.EnumMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** Makes QR images for {@code qr encode}, demos and tests. */
public final class QrEncoder {
    /** The quiet zone ISO/IEC 18004 asks for, in modules. */
    public static final int QUIET_ZONE_MODULES = 4;
    /** Largest module size accepted, to keep images a sane size. */
    public static final int MAX_MODULE_SIZE = 64;
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;
    private static final String PNG = "png";

    private QrEncoder() {
    }

    /**
     * Renders {@code text} as a QR code, error correction M, quiet zone 4, UTF-8, each
     * module {@code moduleSize} pixels square.
     *
     * @throws QrException if the text does not fit a QR code
     * @throws IllegalArgumentException if moduleSize is outside 1..{@value #MAX_MODULE_SIZE}
     */
    public static BufferedImage render(String text, int moduleSize) throws QrException {
        if (moduleSize < 1 || moduleSize > MAX_MODULE_SIZE) {
            throw new IllegalArgumentException("module size must be 1.." + MAX_MODULE_SIZE + ": " + moduleSize);
        }
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
        hints.put(EncodeHintType.MARGIN, QUIET_ZONE_MODULES);
        hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        BitMatrix modules;
        try {
            // Width and height 0 ask for one pixel per module; scaling is done here so every
            // module is exactly moduleSize pixels (zxing would round to the requested size).
            modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException | IllegalArgumentException e) {
            throw new QrException("text does not fit in a QR code (" + text.length() + " chars)");
        }
        int size = modules.getWidth() * moduleSize;
        BufferedImage image = new BufferedImage(size, modules.getHeight() * moduleSize, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, modules.get(x / moduleSize, y / moduleSize) ? BLACK : WHITE);
            }
        }
        return image;
    }

    /** Owner read and write only: a QR image of an otpauth URI holds its secret. */
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * Writes {@code text} as a PNG QR code to the file {@code out}, readable by its owner only
     * (mode 0600): a file made here is created so, and an existing one is narrowed to 0600
     * before a byte of the new image is written into it.
     *
     * @throws QrException if the text does not fit or the file cannot be written
     */
    public static void encodePng(String text, Path out, int moduleSize) throws QrException {
        BufferedImage image = render(text, moduleSize);
        try {
            try {
                Files.createFile(out, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException exists) {
                Files.setPosixFilePermissions(out, OWNER_ONLY);
            } catch (UnsupportedOperationException notPosix) {
                throw new IOException("the file system cannot make a file readable by its owner only");
            }
            try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writePng(image, o);
            }
        } catch (IOException e) {
            throw new QrException("cannot write image " + out + ": " + FileReason.writing(e));
        }
    }

    /**
     * Writes {@code text} as a PNG QR code to {@code out} (standard output, for {@code --out -}).
     *
     * @throws QrException if the text does not fit or the stream cannot be written
     */
    public static void encodePng(String text, OutputStream out, int moduleSize) throws QrException {
        BufferedImage image = render(text, moduleSize);
        try {
            writePng(image, out);
            out.flush();
        } catch (IOException e) {
            throw new QrException("cannot write the image: " + FileReason.of(e));
        }
    }

    private static void writePng(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, PNG, out)) {
            throw new IOException("no PNG writer");
        }
    }
}
