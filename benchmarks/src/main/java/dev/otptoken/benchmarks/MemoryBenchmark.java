package dev.otptoken.benchmarks;

import dev.otptoken.hardware.memory.TransactionalMemory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One 256-byte transaction (begin, write, commit) without persistence. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemoryBenchmark {
    private TransactionalMemory memory;
    private final byte[] data = new byte[256];
    private int round;

    @Setup
    public void setUp() {
        memory = TransactionalMemory.fresh();
    }

    @Benchmark
    public long transaction256() {
        data[0] = (byte) round++;
        memory.beginTransaction();
        memory.write(1024, data, 0, data.length);
        memory.commitTransaction();
        return memory.writeCount();
    }
}
