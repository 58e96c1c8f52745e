package dev.otptoken.benchmarks;

import dev.otptoken.protocol.t1.T1Initiator;
import dev.otptoken.protocol.t1.T1Responder;
import dev.otptoken.protocol.t1.T1Timing;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One APDU exchange through the T=1 state machines in memory: host encodes and chains, card
 * decodes and reassembles, card chains the echoed response back, host reassembles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class T1Benchmark {

    @Param({"64", "1024"})
    public int size;

    private byte[] apdu;
    private T1Initiator host;
    private T1Responder card;
    private long now;

    @Setup
    public void setUp() {
        apdu = new byte[size];
        for (int i = 0; i < size; i++) {
            apdu[i] = (byte) i;
        }
        host = new T1Initiator(T1Timing.DEFAULT);
        card = new T1Responder(T1Timing.DEFAULT);
        host.resynch(now);
        pump();
    }

    @Benchmark
    public byte[] exchange() {
        host.transmit(apdu, now);
        pump();
        return host.takeResponse();
    }

    private void pump() {
        while (host.status() == T1Initiator.Status.BUSY) {
            byte[] h = host.pollOutput();
            card.receive(h, 0, h.length, now);
            byte[] cmd = card.takeCommand();
            if (cmd != null) {
                card.respond(card.commandNumber(), cmd, now);
            }
            card.takeWarmReset();
            byte[] c = card.pollOutput();
            if (h.length == 0 && c.length == 0) {
                throw new IllegalStateException("exchange stalled");
            }
            host.receive(c, 0, c.length, now);
        }
    }
}
