package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reading the plot files back in the tests. */
final class PlotFiles {
    private PlotFiles() {
    }

    /**
     * Writes the charts to {@code file} (PNG), reads it back and checks that it is an image
     * {@link PlotFile#WIDTH} wide and {@link PlotFile#HEIGHT} high per chart.
     */
    static BufferedImage png(List<JFreeChart> charts, Path file) throws Exception {
        PlotFile.write(charts, file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("an image in %s", file).isNotNull();
        assertThat(img.getWidth()).isEqualTo(PlotFile.WIDTH);
        assertThat(img.getHeight()).isEqualTo(PlotFile.HEIGHT * charts.size());
        return img;
    }

    /** The SVG file parsed, refusing any DOCTYPE. */
    static Document svg(Path f) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return dbf.newDocumentBuilder().parse(f.toFile());
    }

    /**
     * How many shapes (markers, the legend's too) the SVG fills with {@code colour}: JFreeSVG
     * writes each as a path in a group styled {@code fill:rgb(r,g,b)}.
     */
    static int filledShapes(Document d, Color colour) {
        String fill = "fill:rgb(" + colour.getRed() + "," + colour.getGreen() + "," + colour.getBlue() + ")";
        NodeList groups = d.getElementsByTagName("g");
        int n = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("style").startsWith(fill + ";")) {
                n += g.getElementsByTagName("path").getLength();
            }
        }
        return n;
    }

    /** How many pixels of the image have exactly {@code colour}. */
    static int pixels(BufferedImage img, Color colour) {
        int want = colour.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == want ? 1 : 0;
            }
        }
        return n;
    }
}
