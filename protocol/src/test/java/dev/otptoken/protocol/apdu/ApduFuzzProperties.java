package dev.otptoken.protocol.apdu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import dev.otptoken.protocol.oath.Oath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Example;

/**
 * Fuzzes {@link CommandApdu#parse} and {@link ResponseApdu#parse}: any bytes end in a value
 * that re-encodes and re-parses to itself, or in {@link ApduFormatException}.
 */
class ApduFuzzProperties {
    /** CI inputs: small enough that every fuzz class together stays well under a minute. */
    private static final long CI_INPUTS = 30_000;
    private static final int BATCH = 10_000;
    private static final int MAX_RANDOM = 300;
    private static final int MAX_RANGE_SLACK = 4;
    private static final HexFormat HEX = HexFormat.of();

    /** Real YKOATH commands in every ISO case, short and extended, and real responses. */
    static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(CommandApdu.select(Oath.aid()).encode());
        c.add(HEX.parseHex("00a4040007a000000527210100"));
        c.add(HEX.parseHex("00a10000"));
        c.add(HEX.parseHex("00a1000000"));
        c.add(cmd(Oath.INS_CALCULATE_ALL, 0, Oath.P2_TRUNCATED, "74080000000003523c60"));
        c.add(cmd(Oath.INS_CALCULATE, 0, Oath.P2_TRUNCATED, "7104746573747408000000000352 37be"));
        c.add(cmd(Oath.INS_PUT, 0, 0, "710b 6578616d706c653a6a6f 7316 2106 3132333435363738393031323334353637383930"
                + " 7802"));
        c.add(cmd(Oath.INS_PUT, 0, 0, "7101 68 7316 1106 3132333435363738393031323334353637383930"
                + " 7a04 00000005"));
        c.add(cmd(Oath.INS_DELETE, 0, 0, "7101 68"));
        c.add(cmd(Oath.INS_RENAME, 0, 0, "7101 68 7103 6e6577"));
        c.add(cmd(Oath.INS_SET_CODE, 0, 0, "7311 01 00112233445566778899aabbccddeeff 7408 0102030405060708"
                + " 7514 00112233445566778899aabbccddeeff00112233"));
        c.add(cmd(Oath.INS_VALIDATE, 0, 0, "7514 00112233445566778899aabbccddeeff00112233 7408 0102030405060708"));
        c.add(HEX.parseHex("00a5000000"));
        c.add(HEX.parseHex("0004dead"));
        c.add(CommandApdu.of(0, Oath.INS_PUT, 0, 0, new byte[300], CommandApdu.MAX_EXTENDED_NE).encode());
        c.add(CommandApdu.of(0, Oath.INS_LIST, 0, 0, null, CommandApdu.MAX_EXTENDED_NE).encode());
        c.add(CommandApdu.of(0, Oath.INS_PUT, 0, 0, new byte[1000]).encode());
        c.add(HEX.parseHex("7903050700710805b7e6c9d5c0cea39000"));
        c.add(HEX.parseHex("6110"));
        c.add(HEX.parseHex("6982"));
        return c;
    }

    @Example
    void anyBytesParseToAConsistentApduOrFormatException() {
        List<byte[]> corpus = corpus();
        FuzzSupport.run("apdu", FuzzSupport.inputs("apdu", CI_INPUTS), BATCH, (random, i) -> {
            byte[] input = random.nextInt(3) == 0
                    ? FuzzSupport.randomBytes(random, MAX_RANDOM) : FuzzSupport.mutate(random, corpus);
            checkCommand(input, 0, input.length);
            checkResponse(input, 0, input.length);
            int off = random.nextInt(input.length + MAX_RANGE_SLACK) - 2;
            int len = random.nextInt(input.length + MAX_RANGE_SLACK) - 2;
            checkCommand(input, off, len);
            checkResponse(input, off, len);
        });
    }

    private static void checkCommand(byte[] input, int off, int len) {
        CommandApdu c = FuzzSupport.valueOrDeclared(ApduFormatException.class, input,
                () -> CommandApdu.parse(input, off, len));
        if (c != null) {
            byte[] again = c.encode();
            CommandApdu reparsed = FuzzSupport.valueOrDeclared(ApduFormatException.class, again,
                    () -> CommandApdu.parse(again));
            assertThat(reparsed).as("re-parse of %s", HEX.formatHex(input)).isEqualTo(c);
            assertThat(c.nc() + CommandApdu.HEADER_LENGTH).isLessThanOrEqualTo(len);
        }
    }

    private static void checkResponse(byte[] input, int off, int len) {
        ResponseApdu r = FuzzSupport.valueOrDeclared(ApduFormatException.class, input,
                () -> ResponseApdu.parse(input, off, len));
        if (r != null) {
            assertThat(r.encode()).isEqualTo(Arrays.copyOfRange(input, off, off + len));
        }
    }

    private static byte[] cmd(int ins, int p1, int p2, String hex) {
        return CommandApdu.of(Oath.CLA, ins, p1, p2, HEX.parseHex(hex.replace(" ", ""))).encode();
    }
}
