package dev.otptoken.host.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrEncoderTest {
    @TempDir
    Path dir;

    @Test
    void writesAPngThatDecodesBack() throws Exception {
        Path out = dir.resolve("code.png");
        QrEncoder.encodePng(QrDecoderTest.TOTP, out, 3);
        BufferedImage image = ImageIO.read(out.toFile());
        // 80 chars at level M is version 5 (37 modules) plus 4 quiet modules each side, 3 px each.
        assertThat(image.getWidth()).isEqualTo((37 + 8) * 3).isEqualTo(image.getHeight());
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(4 * 3, 4 * 3) & 0xFFFFFF).isZero();
        assertThat(QrDecoder.decode(out)).extracting(QrText::text).containsExactly(QrDecoderTest.TOTP);
    }

    @Test
    void otherReadersAgree() throws Exception {
        Path out = dir.resolve("zbar.png");
        QrEncoder.encodePng("otpauth://totp/%C3%A9:me?secret=JBSWY3DPEHPK3PXP", out, 4);
        String text = ExternalTool.run("zbarimg", "-q", "--raw", out.toString());
        assertThat(text.strip()).isEqualTo("otpauth://totp/%C3%A9:me?secret=JBSWY3DPEHPK3PXP");
    }

    @Test
    void refusesTextTooLongForAQrCode() {
        assertThatThrownBy(() -> QrEncoder.render("x".repeat(5000), 1))
                .isInstanceOf(QrException.class)
                .hasMessage("text does not fit in a QR code (5000 chars)");
    }

    @Test
    void refusesUnwritablePath() {
        Path out = dir.resolve("no/such/dir/code.png");
        assertThatThrownBy(() -> QrEncoder.encodePng("hello", out, 2))
                .isInstanceOf(QrException.class)
                .hasMessageStartingWith("cannot write image " + out + ": ");
    }
}
