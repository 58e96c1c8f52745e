package dev.otptoken.protocol.t1;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** In-memory ByteLink pair for driver tests; closing either end breaks both. */
final class PipeLink implements ByteLink {

    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> in;
    private final LinkedBlockingQueue<byte[]> out;
    private final boolean[] closed;
    private byte[] current = new byte[0];
    private int pos;

    private PipeLink(LinkedBlockingQueue<byte[]> in, LinkedBlockingQueue<byte[]> out, boolean[] closed) {
        this.in = in;
        this.out = out;
        this.closed = closed;
    }

    static PipeLink[] pair() {
        LinkedBlockingQueue<byte[]> a = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<byte[]> b = new LinkedBlockingQueue<>();
        boolean[] closed = {false};
        return new PipeLink[] {new PipeLink(a, b, closed), new PipeLink(b, a, closed)};
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        synchronized (closed) {
            if (closed[0]) {
                throw new IOException("link closed");
            }
        }
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        out.add(copy);
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        if (pos == current.length) {
            byte[] next;
            try {
                next = in.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (next == null) {
                return 0;
            }
            if (next == EOF) {
                in.add(EOF);
                throw new IOException("link closed");
            }
            current = next;
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, buf, off, n);
        pos += n;
        return n;
    }

    @Override
    public void discardInput() {
        in.clear();
        pos = current.length;
    }

    @Override
    public void close() {
        synchronized (closed) {
            closed[0] = true;
        }
        in.add(EOF);
        out.add(EOF);
    }
}
