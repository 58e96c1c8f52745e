package dev.otptoken.host.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DriftRecordTest {
    /** RFC 4226's key "12345678901234567890". */
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String EXPECTED = """
            otptoken-drift 1
            name Example:alice
            algorithm SHA256
            digits 8
            period 30
            secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
            observation 1767225600000 -1
            observation 1769904000000 3
            """;

    @TempDir
    Path dir;

    private static DriftRecord sample() {
        return new DriftRecord("Example:alice", HashAlgorithm.SHA256, 8, 30, SecretBytes.copyOf(KEY),
                List.of(new StepObservation(1_767_225_600_000L, -1, 30), new StepObservation(1_769_904_000_000L, 3, 30)));
    }

    @Test
    void writesTheDocumentedFormatWithModeSixHundred() throws Exception {
        Path f = dir.resolve("sub").resolve("drift");
        sample().save(f);
        assertThat(Files.readString(f)).isEqualTo(EXPECTED);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent()))).isEqualTo("rwx------");
        try (var listing = Files.list(f.getParent())) {
            assertThat(listing).containsExactly(f); // no temporary file left behind
        }
    }

    @Test
    void loadsWhatItSaved() throws Exception {
        Path f = dir.resolve("drift");
        sample().save(f);
        DriftRecord r = DriftRecord.load(f);
        assertThat(r.name()).isEqualTo("Example:alice");
        assertThat(r.algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(r.digits()).isEqualTo(8);
        assertThat(r.period()).isEqualTo(30);
        assertThat(r.secret().copy()).isEqualTo(KEY);
        assertThat(r.observations()).isEqualTo(sample().observations());
        r.with(new StepObservation(1_772_000_000_000L, 5, 30)).save(f);
        assertThat(DriftRecord.load(f).observations()).hasSize(3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        String s = sample().toString();
        assertThat(s).contains("Example:alice", "redacted, 20 bytes").doesNotContain("GEZDGNBV", "1234567890");
    }

    @Test
    void destroyWipesTheSecret() {
        DriftRecord r = sample();
        r.destroy();
        assertThat(r.isDestroyed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "hello\n",
        "otptoken-drift 2\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZDGNBV\n",
        "otptoken-drift 1\nname a\nalgorithm MD5\ndigits 6\nperiod 30\nsecret GEZDGNBV\n",
        "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 9\nperiod 30\nsecret GEZDGNBV\n",
        "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 0\nsecret GEZDGNBV\n",
        "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZ!GNBV\n",
        "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZDGNBV\nobservation 1 x\n",
        "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZDGNBV\nobservation 1\n",
        "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZDGNBV",
        "otptoken-drift 1\nname \nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZDGNBV\n",
    })
    void refusesForeignAndCorruptFiles(String text) throws Exception {
        Path f = dir.resolve("bad");
        Files.writeString(f, text);
        assertThatThrownBy(() -> DriftRecord.load(f)).isInstanceOf(DriftRecordException.class)
                .hasMessageStartingWith(f.toString()).hasMessageNotContaining("GEZ");
    }

    @Property(tries = 300)
    void anyBytesAreARecordOrRefused(@ForAll byte[] bytes) {
        try {
            DriftRecord.decode(bytes).destroy();
        } catch (DriftRecordException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 200)
    void anyLinesAfterAValidHeadAreARecordOrRefused(@ForAll String tail) {
        byte[] bytes = ("otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\nsecret GEZDGNBV\n" + tail)
                .getBytes(StandardCharsets.UTF_8);
        try {
            DriftRecord.decode(bytes).destroy();
        } catch (DriftRecordException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 100)
    void encodeDecodeRoundTrips(@ForAll byte[] key, @ForAll long millis, @ForAll long offset) throws Exception {
        DriftRecord r = new DriftRecord("I:a", HashAlgorithm.SHA1, 6, 30, SecretBytes.copyOf(key),
                List.of(new StepObservation(millis, offset, 30)));
        DriftRecord back = DriftRecord.decode(r.encode());
        assertThat(back.secret().copy()).isEqualTo(key);
        assertThat(back.observations()).isEqualTo(r.observations());
    }

    @Test
    void keepsOnlyTheNewestObservations() {
        List<StepObservation> many = new java.util.ArrayList<>();
        for (int i = 0; i < DriftRecord.MAX_OBSERVATIONS + 5; i++) {
            many.add(new StepObservation(i * 1000L, 0, 30));
        }
        DriftRecord r = new DriftRecord("I:a", HashAlgorithm.SHA1, 6, 30, SecretBytes.copyOf(KEY), many);
        assertThat(r.observations()).hasSize(DriftRecord.MAX_OBSERVATIONS);
        assertThat(r.observations().get(0).epochMillis()).isEqualTo(5000L);
    }

    private static final String HEAD = "otptoken-drift 1\nname a\nalgorithm SHA1\ndigits 6\nperiod 30\n";

    private static String refusal(byte[] bytes) {
        try {
            DriftRecord.decode(bytes).destroy();
        } catch (DriftRecordException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    private static String refusal(String text) {
        return refusal(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSecretLineIsReadAsBase32Leniently() throws Exception {
        DriftRecord r = DriftRecord.decode((HEAD + "secret gezd gnbv gy3t qojq gezd gnbv gy3t qojq\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.secret().copy()).isEqualTo(KEY);
    }

    @Test
    void aSecretLineThatIsNotBase32IsRefusedByItsLineAlone() {
        assertThat(refusal(HEAD + "secret GEZDGNB\u00e9\n")).isEqualTo("line 6: the secret is not Base32");
        assertThat(refusal(HEAD + "secret GEZDGNBV\r\n")).isEqualTo("line 6: the secret is not Base32");
        assertThat(refusal(HEAD + "secrets GEZDGNBV\n")).isEqualTo("expected a 'secret' line");
        assertThat(refusal(HEAD + "secret\n")).isEqualTo("expected a 'secret' line");
        assertThat(refusal(HEAD + "\n")).isEqualTo("expected a 'secret' line");
        assertThat(refusal(HEAD + "secret GEZDGNBV")).isEqualTo(
                "not an otptoken drift record (first line must be 'otptoken-drift 1')");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWhereverTheyAre() throws Exception {
        byte[] valid = EXPECTED.replace("observation 1769904000000 3\n",
                "observation 1769904000000 3\n".repeat(40)).getBytes(StandardCharsets.UTF_8);
        assertThat(valid.length).as("longer than one decoding chunk").isGreaterThan(1024);
        assertThat(DriftRecord.decode(valid).observations()).hasSize(41);
        for (int at : new int[] {0, 40, valid.length - 1}) {
            byte[] bad = valid.clone();
            bad[at] = (byte) 0xC3;
            if (at + 1 < bad.length) {
                bad[at + 1] = (byte) 0x28;
            }
            assertThat(refusal(bad)).as("at " + at).isEqualTo("not UTF-8 text");
        }
        byte[] cut = java.util.Arrays.copyOf(valid, valid.length + 1);
        cut[valid.length] = (byte) 0xE2;
        assertThat(refusal(cut)).isEqualTo("not UTF-8 text");
    }
}
