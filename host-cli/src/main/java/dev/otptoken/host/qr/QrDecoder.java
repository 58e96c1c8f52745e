package dev.otptoken.host.qr;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the QR codes in an image file. The only place (with {@link QrEncoder}) that uses
 * ZXing; images are read with {@code javax.imageio} (PNG, JPEG, GIF, BMP) because ZXing's
 * core has no AWT adapter.
 *
 * <p>Screenshots decode on the first, cheap attempt; harder images go through a fixed,
 * bounded list of variants (see docs/qr-otpauth.md) and decoding stops at the first variant
 * that yields any code, so the work per image is at most {@link #MAX_ATTEMPTS} ZXing passes.
 */
public final class QrDecoder {
    /** Images larger than this are refused before their pixels are decoded (decompression bombs). */
    public static final long MAX_PIXELS = 40_000_000L;
    /**
     * The most pixels any working copy of an image may have: a larger image is subsampled while
     * it is read, and an upscaled variant that would exceed it is not tried. With the few
     * copies alive at once (grey levels, one variant, ZXing's luminance bytes) this bounds the
     * decoder's memory to about 200 MB whatever the file's width and height (docs/qr-otpauth.md).
     */
    static final long WORK_PIXELS = 12_000_000L;
    /** Below this shorter side a code's modules may be 1–2 px: also try upscaled copies. */
    static final int TINY_SIDE = 400;
    /** Upper bound on ZXing passes for one image. */
    static final int MAX_ATTEMPTS = 24;

    private static final int OPAQUE = 0xFF000000;
    private static final int MAX_GRAY = 255;
    private static final int ALPHA_SHIFT = 24;
    private static final int RGB_SHIFT_RED = 16;
    private static final int RGB_SHIFT_GREEN = 8;
    private static final int BYTE_MASK = 0xFF;
    /** Share of darkest and lightest pixels ignored when stretching contrast. */
    private static final double STRETCH_CLIP = 0.01;
    /** A pure-barcode hit counts only if the dark area is this square (else it may be one of several codes). */
    private static final double SQUARE_TOLERANCE = 0.05;
    private static final int[] UPSCALE_FACTORS = {2, 4};
    private static final int QUARTER_TURNS = 3;

    private QrDecoder() {
    }

    /**
     * Reads {@code image} and returns the text of every distinct QR code in it.
     *
     * @throws QrException "cannot read image X: …" for a missing, unreadable, damaged or
     *     non-image file, "no QR code found in X" when nothing decodes
     */
    public static List<QrText> decode(Path image) throws QrException {
        List<QrText> found = decode(read(image));
        if (found.isEmpty()) {
            throw new QrException("no QR code found in " + image);
        }
        return found;
    }

    /**
     * Whether {@code file} is an image by its content (an image reader of {@code javax.imageio}
     * takes it), whatever its name: {@code provision FILE} decodes images and reads other files
     * as exports. False for a missing or unreadable file.
     */
    public static boolean isImage(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return false;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return in != null && ImageIO.getImageReaders(in).hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The distinct QR texts in {@code image}, in the order found; empty if none. */
    public static List<QrText> decode(BufferedImage image) {
        Gray original = Gray.of(image);
        Attempts attempts = new Attempts();
        // 1. The cheap cases: a clean code filling the image, then a normal search.
        attempts.pure(original);
        attempts.multi(original, false, false);
        attempts.multi(original, true, false);
        attempts.multi(original, false, true);
        // 2. Low contrast: stretch the histogram so the binarizer sees black and white.
        Gray stretched = original.stretched();
        attempts.multi(stretched, false, false);
        attempts.multi(stretched, false, true);
        // 3. Tiny images: modules of one pixel confuse the finder; nearest-neighbour upscale keeps edges.
        if (Math.min(original.width, original.height) < TINY_SIDE) {
            for (int factor : UPSCALE_FACTORS) {
                if ((long) original.width * original.height * factor * factor > WORK_PIXELS) {
                    break;
                }
                Gray big = original.upscaled(factor);
                attempts.pure(big);
                attempts.multi(big, false, false);
                attempts.multi(big, false, true);
            }
        }
        // 4. Noisy photographs: a light blur removes speckle before binarization.
        Gray smooth = original.blurred();
        attempts.multi(smooth, false, false);
        attempts.multi(smooth, true, false);
        // 5. The detector handles any angle in principle; quarter turns rescue what it misses.
        Gray turned = original;
        for (int i = 0; i < QUARTER_TURNS; i++) {
            turned = turned.rotated90();
            attempts.multi(turned, false, false);
        }
        return attempts.result();
    }

    /** One pass-bounded search that stops at the first pass finding anything. */
    private static final class Attempts {
        private final Set<String> texts = new LinkedHashSet<>();
        private int passes;

        private boolean done() {
            return !texts.isEmpty() || passes >= MAX_ATTEMPTS;
        }

        void pure(Gray gray) {
            if (done()) {
                return;
            }
            passes++;
            Map<DecodeHintType, Object> hints = hints();
            hints.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
            BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(gray.source()));
            try {
                Result result = new QRCodeReader().decode(bitmap, hints);
                if (isSquare(bitmap.getBlackMatrix())) {
                    texts.add(result.getText());
                }
            } catch (ReaderException e) {
                // not a lone clean code; the full search follows
            } catch (RuntimeException e) {
                // ZXing has thrown unchecked exceptions on odd bitmaps; treat as "not found" so
                // a bad image ends in QrException, never a crash
            }
        }

        void multi(Gray gray, boolean globalHistogram, boolean inverted) {
            if (done()) {
                return;
            }
            passes++;
            LuminanceSource source = inverted ? gray.source().invert() : gray.source();
            BinaryBitmap bitmap = new BinaryBitmap(globalHistogram
                    ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source));
            Map<DecodeHintType, Object> hints = hints();
            hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
            try {
                for (Result result : new QRCodeMultiReader().decodeMultiple(bitmap, hints)) {
                    texts.add(result.getText());
                }
            } catch (ReaderException e) {
                // nothing in this variant
            } catch (RuntimeException e) {
                // see pure(): a ZXing failure on one variant must not end the search
            }
        }

        List<QrText> result() {
            List<QrText> out = new ArrayList<>(texts.size());
            texts.forEach(t -> out.add(new QrText(t)));
            return Collections.unmodifiableList(out);
        }

        private static Map<DecodeHintType, Object> hints() {
            Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
            // qrencode and most generators write UTF-8 without an ECI; do not let ZXing guess Shift_JIS.
            hints.put(DecodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
            return hints;
        }

        private static boolean isSquare(BitMatrix matrix) {
            int[] topLeft = matrix.getTopLeftOnBit();
            int[] bottomRight = matrix.getBottomRightOnBit();
            if (topLeft == null || bottomRight == null) {
                return false;
            }
            int w = bottomRight[0] - topLeft[0] + 1;
            int h = bottomRight[1] - topLeft[1] + 1;
            return Math.abs(w - h) <= Math.max(2, SQUARE_TOLERANCE * Math.max(w, h));
        }
    }

    static BufferedImage read(Path path) throws QrException {
        if (!Files.exists(path)) {
            throw new QrException("cannot read image " + path + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw new QrException("cannot read image " + path + ": is a directory");
        }
        if (!Files.isReadable(path)) {
            throw new QrException("cannot read image " + path + ": permission denied");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            if (in == null) {
                throw new QrException("cannot read image " + path + ": cannot open the file");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new QrException("cannot read image " + path + ": not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new QrException("cannot read image " + path + ": too large ("
                            + reader.getWidth(0) + "x" + reader.getHeight(0) + ")");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(pixels);
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO plugins throw IIOException and also unchecked exceptions on corrupt data.
            throw new QrException("cannot read image " + path + ": damaged, truncated or unsupported image");
        }
    }

    /** The smallest step s such that every s-th pixel of every s-th row fits in {@link #WORK_PIXELS}. */
    static int subsampling(long pixels) {
        int step = 1;
        while ((pixels + (long) step * step - 1) / ((long) step * step) > WORK_PIXELS) {
            step++;
        }
        return step;
    }

    /** An 8-bit grey copy of an image, the form every variant is derived from. */
    private static final class Gray {
        final int width;
        final int height;
        final int[] levels;

        private Gray(int width, int height, int[] levels) {
            this.width = width;
            this.height = height;
            this.levels = levels;
        }

        /**
         * Transparent pixels count as white: screenshots of dark-mode apps keep the code
         * readable. Converted a row at a time, so no second full-size copy of the image exists.
         */
        static Gray of(BufferedImage image) {
            int w = image.getWidth();
            int h = image.getHeight();
            int[] levels = new int[Math.multiplyExact(w, h)];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int r = (p >> RGB_SHIFT_RED) & BYTE_MASK;
                    int gr = (p >> RGB_SHIFT_GREEN) & BYTE_MASK;
                    int b = p & BYTE_MASK;
                    int level = (r + 2 * gr + b) / 4; // the weights RGBLuminanceSource uses
                    int alpha = p >>> ALPHA_SHIFT;
                    levels[y * w + x] = (level * alpha + MAX_GRAY * (MAX_GRAY - alpha)) / MAX_GRAY;
                }
            }
            return new Gray(w, h, levels);
        }

        LuminanceSource source() {
            int[] pixels = new int[levels.length];
            for (int i = 0; i < levels.length; i++) {
                int v = levels[i];
                pixels[i] = OPAQUE | (v << RGB_SHIFT_RED) | (v << RGB_SHIFT_GREEN) | v;
            }
            return new RGBLuminanceSource(width, height, pixels);
        }

        Gray stretched() {
            int[] histogram = new int[MAX_GRAY + 1];
            for (int v : levels) {
                histogram[v]++;
            }
            int clip = (int) (levels.length * STRETCH_CLIP);
            int lo = 0;
            for (int seen = 0; lo < MAX_GRAY && seen + histogram[lo] <= clip; lo++) {
                seen += histogram[lo];
            }
            int hi = MAX_GRAY;
            for (int seen = 0; hi > 0 && seen + histogram[hi] <= clip; hi--) {
                seen += histogram[hi];
            }
            if (hi <= lo) {
                return this;
            }
            int[] out = new int[levels.length];
            for (int i = 0; i < levels.length; i++) {
                int v = (levels[i] - lo) * MAX_GRAY / (hi - lo);
                out[i] = Math.max(0, Math.min(MAX_GRAY, v));
            }
            return new Gray(width, height, out);
        }

        Gray upscaled(int factor) {
            int w = width * factor;
            int h = height * factor;
            int[] out = new int[w * h];
            for (int y = 0; y < h; y++) {
                int row = (y / factor) * width;
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = levels[row + x / factor];
                }
            }
            return new Gray(w, h, out);
        }

        /** 3×3 box blur; edges use the pixels that exist. */
        Gray blurred() {
            int[] out = new int[levels.length];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int sum = 0;
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = y + dy;
                        if (yy < 0 || yy >= height) {
                            continue;
                        }
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            if (xx >= 0 && xx < width) {
                                sum += levels[yy * width + xx];
                                n++;
                            }
                        }
                    }
                    out[y * width + x] = sum / n;
                }
            }
            return new Gray(width, height, out);
        }

        /** A quarter turn clockwise. */
        Gray rotated90() {
            int w = height;
            int h = width;
            int[] out = new int[levels.length];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[x * w + (height - 1 - y)] = levels[y * width + x];
                }
            }
            return new Gray(w, h, out);
        }
    }
}
