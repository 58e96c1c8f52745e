package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.testing.Hex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --model} and the state file: the model a token was made as is stored with it, an
 * otptoken's state file is what it always was, and starting a state file as another model is
 * refused (exit 3, one line, the file untouched), never converted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelStateFileTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : err.lines().toList();
        }
    }

    /** {@code otptoken-sim --headless --pty ARGS} in this JVM, asked for its status, then told to quit. */
    static Result sim(String... args) {
        List<String> all = new ArrayList<>(List.of("--headless", "--pty"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SimMain.run(all.toArray(String[]::new),
                new ByteArrayInputStream("status\nquit\n".getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, InstantSource.system());
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The four bytes of the model record in a state file. */
    static String modelRecord(Path state) throws Exception {
        byte[] image = StateFile.read(state);
        int at = image.length - SimulatedToken.MEMORY_SIZE + SimulatedToken.MODEL_BASE;
        return Hex.of(Arrays.copyOfRange(image, at, at + ModelRecord.SIZE));
    }

    static void writeModelRecord(Path state, String hex) throws Exception {
        byte[] image = StateFile.read(state);
        int at = image.length - SimulatedToken.MEMORY_SIZE + SimulatedToken.MODEL_BASE;
        System.arraycopy(Hex.bytes(hex), 0, image, at, ModelRecord.SIZE);
        StateFile.write(state, image);
    }

    @Test
    void aYubiKeyStateFileKeepsItsModelAndRefusesAnother() throws Exception {
        Path state = dir.resolve("yk.state");
        Result made = sim("--model", "yubikey-5-nfc", "--serial", "4242", "--state", state.toString());
        assertThat(made.status()).as(made.err()).isZero();
        assertThat(made.out()).contains("status: serial=4242 accounts=0 model=yubikey-5-nfc");
        assertThat(modelRecord(state)).isEqualTo("4D310100");
        byte[] before = Files.readAllBytes(state);

        Result other = sim("--model", "otptoken", "--state", state.toString());
        assertThat(other.status()).isEqualTo(3);
        assertThat(other.errLines()).containsExactly("otptoken-sim: state file " + state + " holds model yubikey-5-nfc,"
                + " not otptoken (a state file keeps its model: start it with --model yubikey-5-nfc, or"
                + " without --model)");
        assertThat(Files.readAllBytes(state)).as("the file is untouched").isEqualTo(before);
        Result newer = sim("--model", "yubikey-5-nfc-5.7", "--state", state.toString());
        assertThat(newer.status()).isEqualTo(3);
        assertThat(newer.errLines()).singleElement().asString().contains("holds model yubikey-5-nfc, not yubikey-5-nfc-5.7");

        Result same = sim("--model", "yubikey-5-nfc", "--state", state.toString());
        assertThat(same.status()).as(same.err()).isZero();
        Result unnamed = sim("--state", state.toString());
        assertThat(unnamed.status()).as(unnamed.err()).isZero();
        assertThat(unnamed.out()).as("without --model the file's model runs")
                .contains("status: serial=4242 accounts=0 model=yubikey-5-nfc");
    }

    @Test
    void anOtptokenStateFileHasNoModelRecordAndRefusesTheYubiKeyModels() throws Exception {
        Path state = dir.resolve("otp.state");
        Result made = sim("--serial", "777", "--state", state.toString());
        assertThat(made.status()).as(made.err()).isZero();
        assertThat(made.out()).contains("status: serial=777 accounts=0 selected=0");
        assertThat(modelRecord(state)).as("the layout of before models").isEqualTo("00000000");
        byte[] before = Files.readAllBytes(state);
        for (String model : new String[] {"yubikey-5-nfc", "yubikey-5-nfc-5.7"}) {
            Result r = sim("--model", model, "--state", state.toString());
            assertThat(r.status()).isEqualTo(3);
            assertThat(r.errLines()).containsExactly("otptoken-sim: state file " + state + " holds model otptoken,"
                    + " not " + model + " (a state file keeps its model: start it with --model otptoken, or without"
                    + " --model)");
        }
        assertThat(Files.readAllBytes(state)).isEqualTo(before);
        Result explicit = sim("--model", "otptoken", "--state", state.toString());
        assertThat(explicit.status()).as(explicit.err()).isZero();
        assertThat(modelRecord(state)).isEqualTo("00000000");
    }

    @Test
    void aDamagedOrUnknownModelRecordIsACorruptState() throws Exception {
        Path state = dir.resolve("bad.state");
        assertThat(sim("--model", "yubikey-5-nfc-5.7", "--state", state.toString()).status()).isZero();
        assertThat(modelRecord(state)).isEqualTo("4D310200");
        String[][] cases = {
            {"4D310900", "the model record names model 09, which this firmware does not know"},
            {"4D320100", "the model record has layout version 2, this firmware knows version 1"},
            {"4C310100", "the model record is damaged (4C310100, expected 4D31..00)"},
            {"4D310101", "the model record is damaged (4D310101, expected 4D31..00)"},
        };
        for (String[] c : cases) {
            writeModelRecord(state, c[0]);
            byte[] before = Files.readAllBytes(state);
            Result r = sim("--state", state.toString());
            assertThat(r.status()).as(c[0]).isEqualTo(3);
            assertThat(r.errLines()).containsExactly("otptoken-sim: state file " + state + " is corrupt: " + c[1]);
            assertThat(Files.readAllBytes(state)).isEqualTo(before);
        }
    }

    @Test
    void modelListPrintsOneLineEachAndAnUnknownModelIsAUsageError() {
        Result list = sim("--model", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out().lines().toList()).containsExactly(DeviceModel.list().lines().toArray(String[]::new));
        assertThat(list.out().lines()).hasSize(3);
        Result unknown = sim("--model", "yubikey-4");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("otptoken-sim: --model: unknown model 'yubikey-4' (otptoken,"
                + " yubikey-5-nfc, yubikey-5-nfc-5.7; list shows them) (see --help)");
    }
}
