package dev.otptoken.host.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reading the plot files back in the tests. */
final class PlotFiles {
    private PlotFiles() {
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
