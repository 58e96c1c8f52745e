package dev.otptoken.protocol.t1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Host and card drivers over an in-memory pipe. Timeouts only guard against hangs. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class T1ChannelTest {

    private static final T1Timing FAST = new T1Timing(Duration.ofMillis(50), Duration.ofMillis(200), 3, 3,
            Duration.ofMillis(80), 1, Duration.ofSeconds(10));

    private static byte[] answer(byte[] command) {
        byte[] r = new byte[command.length + 2];
        for (int i = 0; i < command.length; i++) {
            r[i] = (byte) (command[i] + 1);
        }
        r[command.length] = (byte) 0x90;
        return r;
    }

    private static class Handler implements T1CardChannel.CardHandler {
        final AtomicInteger resets = new AtomicInteger();
        final AtomicInteger commands = new AtomicInteger();
        volatile long delayMillis;
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public byte[] process(byte[] command) {
            commands.incrementAndGet();
            started.countDown();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer(command);
        }

        @Override
        public void warmReset() {
            resets.incrementAndGet();
        }
    }

    private static CompletableFuture<Throwable> serve(T1CardChannel card, Handler handler) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                card.serve(handler);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
    }

    @Test
    void exchangesApdusOfAllSizes() throws Exception {
        PipeLink[] pipe = PipeLink.pair();
        T1CardChannel card = new T1CardChannel(pipe[1], FAST);
        Handler handler = new Handler();
        CompletableFuture<Throwable> served = serve(card, handler);
        T1HostChannel host = new T1HostChannel(pipe[0], FAST);
        host.open();
        int exchanges = 0;
        for (int size : List.of(0, 1, 31, 32, 33, 64, 254, 255, 500, 999, 1000)) {
            byte[] cmd = new byte[size];
            for (int i = 0; i < size; i++) {
                cmd[i] = (byte) (i * 31 + size);
            }
            assertThat(host.transceive(cmd)).isEqualTo(answer(cmd));
            exchanges++;
        }
        host.negotiateIfs(254);
        byte[] big = new byte[1000];
        assertThat(host.transceive(big)).isEqualTo(answer(big));
        card.stop();
        assertThat(served.get()).isNull();
        assertThat(handler.commands.get()).isEqualTo(exchanges + 1);
        assertThat(handler.resets.get()).isEqualTo(1);
        host.close();
    }

    /**
     * An answer leaves as soon as the handler has it: the card never sits out a read timeout
     * while an answer is ready. (It used to wait in the read for its poll period, which put
     * every answer a fixed 5 ms after its command and made clock readings drift inside the
     * exchange as the handler got faster.) Counted, not timed: a read that timed out while the
     * handler's answer was already there is a violation.
     */
    @Test
    void answersAreSentWithoutWaitingOutARead() throws Exception {
        PipeLink[] pipe = PipeLink.pair();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger sleptPastAnAnswer = new AtomicInteger();
        ByteLink watched = new ByteLink() {
            @Override
            public void write(byte[] data, int off, int len) throws IOException {
                answered.set(0);
                pipe[1].write(data, off, len);
            }

            @Override
            public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
                int n = pipe[1].read(buf, off, len, timeoutMillis);
                if (n == 0 && timeoutMillis > 0 && answered.get() == 1) {
                    sleptPastAnAnswer.incrementAndGet();
                }
                return n;
            }

            @Override
            public void discardInput() {
                pipe[1].discardInput();
            }

            @Override
            public void close() {
                pipe[1].close();
            }
        };
        T1CardChannel card = new T1CardChannel(watched, FAST);
        Handler handler = new Handler() {
            @Override
            public byte[] process(byte[] command) {
                byte[] r = super.process(command);
                answered.set(1);
                return r;
            }
        };
        CompletableFuture<Throwable> served = serve(card, handler);
        T1HostChannel host = new T1HostChannel(pipe[0], FAST);
        host.open();
        for (int i = 0; i < 200; i++) {
            byte[] cmd = {0x00, (byte) 0xA2, 0x00, (byte) i};
            assertThat(host.transceive(cmd)).isEqualTo(answer(cmd));
        }
        card.stop();
        assertThat(served.get()).isNull();
        assertThat(sleptPastAnAnswer.get()).as("reads that timed out with an answer ready").isZero();
        host.close();
    }

    @Test
    void slowHandlerIsCoveredByWaitingTimeExtensions() throws Exception {
        PipeLink[] pipe = PipeLink.pair();
        T1CardChannel card = new T1CardChannel(pipe[1], FAST);
        Handler handler = new Handler();
        handler.delayMillis = 3 * FAST.bwt().toMillis();
        CompletableFuture<Throwable> served = serve(card, handler);
        T1HostChannel host = new T1HostChannel(pipe[0], FAST);
        host.open();
        byte[] cmd = {0x00, (byte) 0xA2, 0x00, 0x01};
        assertThat(host.transceive(cmd)).isEqualTo(answer(cmd));
        assertThat(handler.commands.get()).isEqualTo(1);
        card.stop();
        assertThat(served.get()).isNull();
    }

    @Test
    void closedLinkFailsBothSidesPromptly() throws Exception {
        PipeLink[] pipe = PipeLink.pair();
        T1CardChannel card = new T1CardChannel(pipe[1], FAST);
        Handler handler = new Handler();
        handler.delayMillis = 5_000;
        CompletableFuture<Throwable> served = serve(card, handler);
        T1HostChannel host = new T1HostChannel(pipe[0], FAST);
        host.open();
        CompletableFuture<Throwable> exchange = CompletableFuture.supplyAsync(() -> {
            try {
                host.transceive(new byte[] {1, 2, 3, 4});
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(handler.started.await(5, TimeUnit.SECONDS)).isTrue();
        pipe[0].close();
        assertThat(exchange.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(served.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void openFailsWhenNoCardAnswers() throws IOException {
        PipeLink[] pipe = PipeLink.pair();
        T1HostChannel host = new T1HostChannel(pipe[0], FAST);
        assertThatThrownBy(host::open).isInstanceOf(T1Exception.class).hasMessageContaining("RESYNCH");
        assertThatThrownBy(() -> host.transceive(new byte[4])).isInstanceOf(T1Exception.class);
        host.close();
    }

    @Test
    void handlerFailureAbortsOnlyThatExchange() throws IOException, ExecutionException, InterruptedException {
        PipeLink[] pipe = PipeLink.pair();
        T1CardChannel card = new T1CardChannel(pipe[1], FAST);
        T1CardChannel.CardHandler failing = new T1CardChannel.CardHandler() {
            @Override
            public byte[] process(byte[] command) {
                if (command.length == 1) {
                    throw new IllegalStateException("applet bug");
                }
                return answer(command);
            }

            @Override
            public void warmReset() {
            }
        };
        CompletableFuture<Throwable> served = CompletableFuture.supplyAsync(() -> {
            try {
                card.serve(failing);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        T1HostChannel host = new T1HostChannel(pipe[0], FAST);
        host.open();
        assertThatThrownBy(() -> host.transceive(new byte[1])).isInstanceOf(T1Exception.class)
                .hasMessageContaining("aborted");
        assertThat(host.transceive(new byte[2])).isEqualTo(answer(new byte[2]));
        card.stop();
        assertThat(served.get()).isNull();
    }

    /**
     * A read error in the middle of an exchange (a line that failed for a moment) leaves the
     * host ready for the next one, which starts with S(RESYNCH): not stuck BUSY.
     */
    @Test
    void aReadErrorMidExchangeIsFollowedByAResynchNotAStuckMachine() throws Exception {
        PipeLink[] pipe = PipeLink.pair();
        T1CardChannel card = new T1CardChannel(pipe[1], FAST);
        Handler handler = new Handler();
        CompletableFuture<Throwable> served = serve(card, handler);
        boolean[] failNextRead = {false};
        AtomicInteger resynchRequests = new AtomicInteger();
        ByteLink flaky = new ByteLink() {
            @Override
            public void write(byte[] data, int off, int len) throws IOException {
                if (len >= 2 && data[off + 1] == (byte) 0xC0) {
                    resynchRequests.incrementAndGet(); // PCB of S(RESYNCH request)
                }
                pipe[0].write(data, off, len);
            }

            @Override
            public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
                if (failNextRead[0]) {
                    failNextRead[0] = false;
                    throw new IOException("input/output error");
                }
                return pipe[0].read(buf, off, len, timeoutMillis);
            }

            @Override
            public void discardInput() throws IOException {
                pipe[0].discardInput();
            }

            @Override
            public void close() throws IOException {
                pipe[0].close();
            }
        };
        T1HostChannel host = new T1HostChannel(flaky, FAST);
        host.open();
        assertThat(resynchRequests.get()).isEqualTo(1);
        byte[] cmd = {0x00, (byte) 0xA2, 0x00, 0x01};
        failNextRead[0] = true;
        assertThatThrownBy(() -> host.transceive(cmd)).isInstanceOf(IOException.class)
                .hasMessage("input/output error");

        assertThat(host.transceive(cmd)).isEqualTo(answer(cmd));
        assertThat(resynchRequests.get()).as("the next exchange began with S(RESYNCH)").isEqualTo(2);
        card.stop();
        assertThat(served.get()).isNull();
    }
}
