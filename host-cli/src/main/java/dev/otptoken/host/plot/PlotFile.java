package dev.otptoken.host.plot;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;

/** The host's chart files: SVG through JFreeSVG, PNG through the JDK's ImageIO, one size. */
public final class PlotFile {
    /** The image's size in pixels. */
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

    /**
     * Writes the chart to {@code file}: SVG when its name ends in {@code .svg}, PNG when in
     * {@code .png} (any case).
     *
     * @throws IllegalArgumentException another extension
     */
    public static void write(JFreeChart chart, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
            // the element without the SVG 1.1 DOCTYPE, which many XML readers refuse (XXE hardening)
            Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n",
                    StandardCharsets.UTF_8);
        } else if (name.endsWith(".png")) {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } else {
            throw new IllegalArgumentException("--plot: the file must end in .svg or .png");
        }
    }
}
