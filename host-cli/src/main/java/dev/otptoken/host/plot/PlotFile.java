package dev.otptoken.host.plot;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;

/**
 * The host's chart files: SVG through JFreeSVG, PNG through the JDK's ImageIO; each chart
 * {@link #WIDTH} × {@link #HEIGHT}, several one above the other.
 */
public final class PlotFile {
    /** The image's size in pixels, per chart. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    static {
        // no display is needed, nor used when there is one
        System.setProperty("java.awt.headless", "true");
        // rotated texts (the vertical axes' labels) as text, not as the outlines of their glyphs:
        // the SVG's words stay words (the workaround is for JDKs long gone)
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private PlotFile() {
    }

    /** Whether {@code file}'s name ends in .svg or .png (any case). */
    public static boolean supported(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".svg") || name.endsWith(".png");
    }

    /** Writes the chart to {@code file}: {@link #write(List, Path)} of one. */
    public static void write(JFreeChart chart, Path file) throws IOException {
        write(List.of(chart), file);
    }

    /**
     * Writes the charts, one under the other, to {@code file}: SVG when its name ends in
     * {@code .svg}, PNG when in {@code .png} (any case). The image is {@link #WIDTH} wide and
     * {@link #HEIGHT} high per chart.
     *
     * @throws IllegalArgumentException another extension
     */
    public static void write(List<JFreeChart> charts, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int height = HEIGHT * charts.size();
        if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
            draw(charts, g);
            // the element without the SVG 1.1 DOCTYPE, which many XML readers refuse (XXE hardening)
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n",
                    StandardCharsets.UTF_8);
        } else if (name.endsWith(".png")) {
            BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                draw(charts, g);
            } finally {
                g.dispose();
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            }
        } else {
            throw new IllegalArgumentException("--plot: the file must end in .svg or .png");
        }
    }

    private static void draw(List<JFreeChart> charts, Graphics2D g) {
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, new Rectangle(0, i * HEIGHT, WIDTH, HEIGHT));
        }
    }
}
