package dev.otptoken.host.calibrate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SampleLog} writing CSV: one line per exchange, the host's send and receive
 * instants (ns since the epoch, from the monotonic clock anchored once) and the token's
 * reading (µs since the epoch). Enough to refit a run with any method. The file is created
 * at once (an unwritable path fails before the measurement) and written on {@link #close()}:
 * writing between phases would put a pause and cold code into the run it records.
 */
public final class SampleCsv implements SampleLog, Closeable {
    /** The first line of the file. */
    public static final String HEADER = "phase,host_sent_ns,host_received_ns,token_us";

    private final BufferedWriter out;
    private final List<String> phases = new ArrayList<>();
    private final List<List<ClockSample>> samples = new ArrayList<>();

    private SampleCsv(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file} and writes the header. */
    public static SampleCsv create(Path file) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        try {
            w.write(HEADER);
            w.newLine();
        } catch (IOException e) {
            w.close();
            throw e;
        }
        return new SampleCsv(w);
    }

    @Override
    public void phase(String phase, List<ClockSample> exchanges) {
        phases.add(phase);
        samples.add(List.copyOf(exchanges));
    }

    /** Writes every phase kept and closes the file. */
    @Override
    public void close() throws IOException {
        try (out) {
            StringBuilder line = new StringBuilder(64);
            for (int p = 0; p < phases.size(); p++) {
                for (ClockSample s : samples.get(p)) {
                    line.setLength(0);
                    line.append(phases.get(p)).append(',').append(s.hostSentNanos()).append(',')
                            .append(s.hostReceivedNanos()).append(',').append(s.tokenMicros());
                    out.write(line.toString());
                    out.newLine();
                }
            }
        }
    }
}
