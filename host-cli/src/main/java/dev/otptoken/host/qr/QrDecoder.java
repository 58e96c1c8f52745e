package dev.otptoken.host.qr;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import dev.otptoken.files.FileReason;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Finds the QR codes in an image file. The only place (with {@link QrEncoder}) that uses
 * ZXing; images are read with {@code javax.imageio} (PNG, JPEG, GIF, BMP) because ZXing's
 * core has no AWT adapter.
 *
 * <p>Screenshots and clean codes decode on the first, cheap pass (one binarization, of a
 * half-size copy when the image is large); harder images go through a fixed, bounded list of
 * variants (see docs/qr-otpauth.md) and decoding stops at the first variant that yields any
 * code, so the work per image is at most {@link #MAX_ATTEMPTS} ZXing passes. {@link #decodeAll}
 * decodes many files on the machine's cores.
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
    /** Most bytes an image read from a pipe may have (a file is not read whole, so has no such bound). */
    static final int MAX_STREAM_BYTES = 64 << 20;
    /** Below this shorter side a code's modules may be 1–2 px: also try upscaled copies. */
    static final int TINY_SIDE = 400;
    /** Upper bound on ZXing passes for one image. */
    static final int MAX_ATTEMPTS = 24;
    /**
     * From this shorter side on, the first pass reads a half-size copy: a screenshot's code has
     * modules of 6 px or more at this size (a phone draws a code a third to a half of its width),
     * 3 px or more after halving, which ZXing reads; an image whose code it misses at half size
     * is read again at full size.
     */
    static final int HALVE_SIDE = 800;

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
        return texts(read(image), image.toString());
    }

    private static List<QrText> texts(BufferedImage image, String name) throws QrException {
        // the image's pixels are released as soon as its grey copy exists
        List<QrText> found = search(Gray.of(image)).texts();
        if (found.isEmpty()) {
            throw new QrException("no QR code found in " + name);
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

    /**
     * Decodes {@code images} on as many threads as the machine has cores, each reading and
     * releasing one image at a time, and hands their texts back in the order of {@code images}:
     * {@link Batch#next()} is {@link #decode(Path)} of the next image.
     */
    public static Batch decodeAll(List<Path> images) {
        return new Batch(images, Runtime.getRuntime().availableProcessors());
    }

    /** The images of {@link #decodeAll}, decoded ahead of the caller, at most one per thread at a time. */
    public static final class Batch implements AutoCloseable {
        private final ExecutorService pool;
        private final Iterator<Path> pending;
        private final ArrayDeque<Future<List<QrText>>> ahead = new ArrayDeque<>();

        Batch(List<Path> images, int threads) {
            int n = Math.max(1, Math.min(threads, images.size()));
            this.pool = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "qr-decode");
                t.setDaemon(true);
                return t;
            });
            this.pending = List.copyOf(images).iterator();
            for (int i = 0; i < n && pending.hasNext(); i++) {
                submitNext();
            }
        }

        private void submitNext() {
            Path image = pending.next();
            ahead.add(pool.submit(() -> decode(image)));
        }

        /** The texts of the next image, as {@link #decode(Path)} returns or throws them. */
        public List<QrText> next() throws QrException {
            Future<List<QrText>> head = ahead.poll();
            if (head == null) {
                throw new NoSuchElementException("no more images");
            }
            if (pending.hasNext()) {
                submitNext();
            }
            try {
                return head.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof QrException q) {
                    throw q;
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Stops decoding what was not asked for. */
        @Override
        public void close() {
            ahead.forEach(f -> f.cancel(true));
            pool.shutdownNow();
        }
    }

    /** The distinct QR texts in {@code image}, in the order found; empty if none. */
    public static List<QrText> decode(BufferedImage image) {
        return search(Gray.of(image)).texts();
    }

    /** What {@link #search} found, the pass that found it (null: none) and the ZXing passes it took. */
    record Found(List<QrText> texts, String pass, int passes) {
    }

    /** The passes below, in order, stopping at the first that finds anything. */
    static Found search(Gray original) {
        Attempts attempts = new Attempts();
        // 1. The fast pass: one binarization of a half-size copy of a large image (a
        //    screenshot), then one of the image itself; a clean code filling the image is read
        //    from the same binarization as the normal search.
        if (Math.min(original.width, original.height) >= HALVE_SIDE) {
            attempts.fast("half size", original.halved(), false);
        }
        attempts.fast("full size", original, true);
        // 2. The rest of the plain image: another binarizer, light on dark.
        attempts.multi("global histogram", original, true, false);
        attempts.multi("inverted", original, false, true);
        // 3. Low contrast: stretch the histogram so the binarizer sees black and white.
        if (!attempts.done()) {
            Gray stretched = original.stretched();
            attempts.multi("stretched", stretched, false, false);
            attempts.multi("stretched inverted", stretched, false, true);
        }
        // 4. Tiny images: modules of one pixel confuse the finder; nearest-neighbour upscale keeps edges.
        if (Math.min(original.width, original.height) < TINY_SIDE) {
            for (int factor : UPSCALE_FACTORS) {
                if (attempts.done() || (long) original.width * original.height * factor * factor > WORK_PIXELS) {
                    break;
                }
                Gray big = original.upscaled(factor);
                attempts.pure("upscaled " + factor + "x pure", big);
                attempts.multi("upscaled " + factor + "x", big, false, false);
                attempts.multi("upscaled " + factor + "x inverted", big, false, true);
            }
        }
        // 5. Noisy photographs: a light blur removes speckle before binarization.
        if (!attempts.done()) {
            Gray smooth = original.blurred();
            attempts.multi("blurred", smooth, false, false);
            attempts.multi("blurred global histogram", smooth, true, false);
        }
        // 6. The detector handles any angle in principle; quarter turns rescue what it misses.
        Gray turned = original;
        for (int i = 0; i < QUARTER_TURNS && !attempts.done(); i++) {
            turned = turned.rotated90();
            attempts.multi("turned " + (i + 1) * 90, turned, false, false);
        }
        return attempts.result();
    }

    /** One pass-bounded search that stops at the first pass finding anything. */
    private static final class Attempts {
        private final Set<String> texts = new LinkedHashSet<>();
        private int passes;
        private String found;

        private boolean done() {
            return !texts.isEmpty() || passes >= MAX_ATTEMPTS;
        }

        /**
         * One hybrid binarization, read as a lone clean code and then searched for codes
         * ({@code tryHarder}: every third row): the bitmap keeps its black matrix, so both
         * readers share the binarization.
         */
        void fast(String name, Gray gray, boolean tryHarder) {
            if (done()) {
                return;
            }
            passes++;
            BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(gray.source()));
            pure(bitmap);
            if (texts.isEmpty()) {
                multi(bitmap, tryHarder);
            }
            if (!texts.isEmpty()) {
                found = name;
            }
        }

        void pure(String name, Gray gray) {
            if (done()) {
                return;
            }
            passes++;
            pure(new BinaryBitmap(new HybridBinarizer(gray.source())));
            if (!texts.isEmpty()) {
                found = name;
            }
        }

        private void pure(BinaryBitmap bitmap) {
            Map<DecodeHintType, Object> hints = hints();
            hints.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
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

        void multi(String name, Gray gray, boolean globalHistogram, boolean inverted) {
            if (done()) {
                return;
            }
            passes++;
            LuminanceSource source = inverted ? gray.source().invert() : gray.source();
            multi(new BinaryBitmap(globalHistogram
                    ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source)), true);
            if (!texts.isEmpty()) {
                found = name;
            }
        }

        private void multi(BinaryBitmap bitmap, boolean tryHarder) {
            Map<DecodeHintType, Object> hints = hints();
            if (tryHarder) {
                hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
            }
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

        Found result() {
            List<QrText> out = new ArrayList<>(texts.size());
            texts.forEach(t -> out.add(new QrText(t)));
            return new Found(Collections.unmodifiableList(out), found, passes);
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
        if (isStream(path)) {
            // the image readers seek back to recognise a format: read whole first, wiped after
            byte[] bytes;
            try {
                bytes = readStream(path);
            } catch (IOException e) {
                throw new QrException("cannot read image " + path + ": " + FileReason.reading(e));
            }
            try {
                return read(bytes, path.toString());
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            if (in == null) {
                throw new QrException("cannot read image " + path + ": cannot open the file");
            }
            return read(in, path.toString());
        } catch (IOException e) {
            throw new QrException("cannot read image " + path + ": damaged, truncated or unsupported image");
        }
    }

    private static BufferedImage read(byte[] image, String name) throws QrException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            return read(in, name);
        } catch (IOException e) {
            throw new QrException("cannot read image " + name + ": damaged, truncated or unsupported image");
        }
    }

    /**
     * The QR codes of an image already in memory ({@code provision} reads a pipe once, whole, to
     * tell an image from an export), named {@code name} in messages; as {@link #decode(Path)}.
     */
    public static List<QrText> decode(byte[] image, String name) throws QrException {
        return texts(read(image, name), name);
    }

    /** Whether {@code content} is an image by its content, as {@link #isImage(Path)}. */
    public static boolean isImage(byte[] content) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
            return ImageIO.getImageReaders(in).hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static BufferedImage read(ImageInputStream in, String name) throws QrException {
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new QrException("cannot read image " + name + ": not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new QrException("cannot read image " + name + ": too large ("
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
            throw new QrException("cannot read image " + name + ": damaged, truncated or unsupported image");
        }
    }

    /**
     * Whether {@code path} is a pipe or device ({@code /dev/stdin}, {@code <(curl ...)}): there,
     * neither a regular file nor a directory, so it can be read only once and has no size to
     * look at first ({@link #readStream}).
     */
    public static boolean isStream(Path path) {
        return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
    }

    /**
     * All of a pipe or device ({@code qr decode /dev/stdin}, {@code provision <(curl ...)}),
     * which can be read only once: whole, up to {@link #MAX_STREAM_BYTES}.
     */
    public static byte[] readStream(Path path) throws IOException, QrException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_STREAM_BYTES + 1);
        }
        if (bytes.length > MAX_STREAM_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new QrException("cannot read " + path + ": more than " + (MAX_STREAM_BYTES >> 20)
                    + " MiB from a pipe");
        }
        return bytes;
    }

    /** The smallest step s such that every s-th pixel of every s-th row fits in {@link #WORK_PIXELS}. */
    static int subsampling(long pixels) {
        int step = 1;
        while ((pixels + (long) step * step - 1) / ((long) step * step) > WORK_PIXELS) {
            step++;
        }
        return step;
    }

    /**
     * An 8-bit grey copy of an image, one byte a pixel, the form every variant is derived from;
     * ZXing reads it in place (as the luminance plane of a YUV frame), without a copy.
     */
    static final class Gray {
        final int width;
        final int height;
        final byte[] levels;

        private Gray(int width, int height, byte[] levels) {
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
            byte[] levels = new byte[Math.multiplyExact(w, h)];
            int[] row = new int[w];
            if (image.getColorModel() instanceof IndexColorModel palette && image.getRaster().getNumBands() == 1) {
                // qrencode's PNGs (1-bit palette) and GIFs: one level per palette entry, then a
                // table look-up per pixel instead of a colour conversion
                int[] argb = new int[palette.getMapSize()];
                palette.getRGBs(argb);
                byte[] table = new byte[argb.length];
                for (int i = 0; i < argb.length; i++) {
                    table[i] = level(argb[i]);
                }
                WritableRaster raster = image.getRaster();
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, 0, row);
                    for (int x = 0; x < w; x++) {
                        int index = row[x];
                        levels[y * w + x] = index < table.length ? table[index] : 0;
                    }
                }
                return new Gray(w, h, levels);
            }
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    levels[y * w + x] = level(row[x]);
                }
            }
            return new Gray(w, h, levels);
        }

        /** The grey level of an ARGB pixel composited on white. */
        private static byte level(int p) {
            int r = (p >> RGB_SHIFT_RED) & BYTE_MASK;
            int gr = (p >> RGB_SHIFT_GREEN) & BYTE_MASK;
            int b = p & BYTE_MASK;
            int level = (r + 2 * gr + b) / 4; // the weights RGBLuminanceSource uses
            int alpha = p >>> ALPHA_SHIFT;
            return (byte) ((level * alpha + MAX_GRAY * (MAX_GRAY - alpha)) / MAX_GRAY);
        }

        private int at(int i) {
            return levels[i] & BYTE_MASK;
        }

        LuminanceSource source() {
            return new PlanarYUVLuminanceSource(levels, width, height, 0, 0, width, height, false);
        }

        /** Half the width and height, each pixel the mean of a 2×2 block (an odd last row or column is dropped). */
        Gray halved() {
            int w = width / 2;
            int h = height / 2;
            byte[] out = new byte[w * h];
            for (int y = 0; y < h; y++) {
                int top = 2 * y * width;
                int bottom = top + width;
                for (int x = 0; x < w; x++) {
                    int sum = at(top + 2 * x) + at(top + 2 * x + 1) + at(bottom + 2 * x) + at(bottom + 2 * x + 1);
                    out[y * w + x] = (byte) ((sum + 2) / 4);
                }
            }
            return new Gray(w, h, out);
        }

        Gray stretched() {
            int[] histogram = new int[MAX_GRAY + 1];
            for (byte v : levels) {
                histogram[v & BYTE_MASK]++;
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
            byte[] out = new byte[levels.length];
            for (int i = 0; i < levels.length; i++) {
                int v = (at(i) - lo) * MAX_GRAY / (hi - lo);
                out[i] = (byte) Math.max(0, Math.min(MAX_GRAY, v));
            }
            return new Gray(width, height, out);
        }

        Gray upscaled(int factor) {
            int w = width * factor;
            int h = height * factor;
            byte[] out = new byte[w * h];
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
            byte[] out = new byte[levels.length];
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
                                sum += at(yy * width + xx);
                                n++;
                            }
                        }
                    }
                    out[y * width + x] = (byte) (sum / n);
                }
            }
            return new Gray(width, height, out);
        }

        /** A quarter turn clockwise. */
        Gray rotated90() {
            int w = height;
            int h = width;
            byte[] out = new byte[levels.length];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[x * w + (height - 1 - y)] = levels[y * width + x];
                }
            }
            return new Gray(w, h, out);
        }
    }
}
