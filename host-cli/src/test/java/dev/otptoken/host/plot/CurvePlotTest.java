package dev.otptoken.host.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.calibrate.TemperatureFit;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The plot files parse back as images of the stated size with the chart's content in them. */
class CurvePlotTest {
    static final long T = 1_800_000_000_000_000L;
    static final List<TemperatureFit.Point> RUNS = List.of(new TemperatureFit.Point(T, 10, 20 - 0.038 * 17.5 * 17.5, 0.13),
            new TemperatureFit.Point(T, 25, 20 - 0.038 * 2.5 * 2.5, 0.13),
            new TemperatureFit.Point(T, 40, 20 - 0.038 * 12.5 * 12.5, 0.13));

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static JFreeChart chart() {
        TemperatureFit fit = TemperatureFit.fit(RUNS);
        JFreeChart c = CurvePlot.chart(fit, RUNS, T, "otptoken 42: crystal rate over temperature");
        c.addSubtitle(new org.jfree.chart.title.TextTitle(CurvePlot.summary(fit)));
        return c;
    }

    @Test
    void svgParsesBackWithItsSizeAndTexts() throws Exception {
        Path f = dir.resolve("curve.svg");
        PlotFile.write(chart(), f);
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = dbf.newDocumentBuilder().parse(f.toFile());
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("900.0");
        assertThat(d.getDocumentElement().getAttribute("height")).isEqualTo("560.0");
        String text = d.getDocumentElement().getTextContent();
        assertThat(text).contains("otptoken 42: crystal rate over temperature", "turnover 27.50",
                "temperature on the token's sensor", "fit ± 95 %", "measured runs ± 95 %");
        assertThat(d.getElementsByTagName("path").getLength()).isGreaterThan(10);
    }

    @Test
    void pngParsesBackWithItsSizeAndColours() throws Exception {
        Path f = dir.resolve("curve.PNG");
        PlotFile.write(chart(), f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img.getWidth()).isEqualTo(PlotFile.WIDTH);
        assertThat(img.getHeight()).isEqualTo(PlotFile.HEIGHT);
        int curve = 0;
        int runs = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                curve += rgb == 0x1F5FBF ? 1 : 0;
                runs += rgb == 0xC03020 ? 1 : 0;
            }
        }
        assertThat(curve).as("pixels of the fitted curve").isGreaterThan(500);
        assertThat(runs).as("pixels of the runs' error bars").isGreaterThan(20);
    }

    @Test
    void anotherExtensionIsRefused() {
        assertThatThrownBy(() -> PlotFile.write(chart(), dir.resolve("curve.jpg")))
                .hasMessage("--plot: the file must end in .svg or .png");
    }
}
