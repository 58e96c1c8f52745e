package dev.otptoken.system;

import dev.otptoken.firmware.sim.SimMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** otptoken-sim in this JVM ({@code --pty --headless --state FILE}), with its pseudo-terminal's path. */
final class InProcessToken implements AutoCloseable {
    private static final long START_SECONDS = 30;
    private static final String ATTACHED = "attached: ";

    private final PipedOutputStream toSim;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Path device;

    InProcessToken(Path state) throws IOException, InterruptedException {
        PipedInputStream simIn = new PipedInputStream();
        toSim = new PipedOutputStream(simIn);
        PipedInputStream fromSim = new PipedInputStream(1 << 16);
        PrintStream simOut = new PrintStream(new PipedOutputStream(fromSim), true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--pty", "--headless", "--state", state.toString()));
        Thread sim = new Thread(() -> {
            try {
                exit.complete(SimMain.run(args.toArray(String[]::new), simIn, simOut, System.err, false,
                        InstantSource.system()));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            } finally {
                simOut.close();
            }
        }, "token");
        sim.setDaemon(true);
        sim.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fromSim, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("eof: " + e.getMessage());
            }
        }, "token-stdout");
        reader.setDaemon(true);
        reader.start();
        String first = lines.poll(START_SECONDS, TimeUnit.SECONDS);
        if (first == null || !first.startsWith(ATTACHED)) {
            throw new IOException("the token did not attach: " + first);
        }
        device = Path.of(first.substring(ATTACHED.length()));
    }

    @Override
    public void close() throws IOException {
        if (!exit.isDone()) {
            toSim.write("quit\n".getBytes(StandardCharsets.US_ASCII));
            toSim.flush();
        }
        try {
            exit.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while stopping the token");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the token did not stop: " + e, e);
        }
    }
}
