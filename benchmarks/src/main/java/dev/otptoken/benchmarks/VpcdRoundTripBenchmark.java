package dev.otptoken.benchmarks;

import dev.otptoken.host.transport.PcscTransport;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.Oath;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One APDU round trip over PC/SC to the card in a vpcd reader: javax.smartcardio, pcscd,
 * the vpcd driver, its TCP socket, the simulator's card, and back. Needs pcscd and a token
 * already in the reader ({@code benchmarks/vpcd-ykman.sh} starts one); sampled, so JMH
 * prints the median ({@code p0.50}) beside the mean.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar VpcdRoundTrip -bm sample -f 1 -wi 1 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VpcdRoundTripBenchmark {

    @Param({"Virtual PCD 00 00"})
    public String reader;

    private PcscTransport transport;
    private byte[] select;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        transport = PcscTransport.open(reader);
        byte[] aid = Oath.aid();
        select = CommandApdu.select(aid).encode();
        byte[] r = transport.transceive(select);
        int sw = (r[r.length - 2] & 0xFF) << 8 | (r[r.length - 1] & 0xFF);
        if (sw != StatusWord.OK) {
            throw new IOException(String.format(Locale.ROOT, "SELECT OATH answered %04X", sw));
        }
    }

    /** SELECT OATH: a 12-byte command, a 23-byte answer (version, salt, no challenge). */
    @Benchmark
    public byte[] selectOath() throws IOException {
        return transport.transceive(select);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        transport.close();
    }
}
