package dev.otptoken.protocol.apdu;

import dev.otptoken.protocol.oath.Oath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Follows "61xx more data" replies with SEND REMAINING ({@code 00 A5 00 00}) and joins the
 * pieces, so sessions see one response per command. Bounded in rounds and bytes: a token
 * that never stops answering 61xx yields {@link ChainingLimitException}, never a hang.
 */
public final class ResponseChaining implements ApduTransport {
    /** Default bound on SEND REMAINING exchanges after the first command. */
    public static final int DEFAULT_MAX_ROUNDS = 64;
    /** Default bound on the joined response data. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private static final byte[] SEND_REMAINING =
            CommandApdu.of(Oath.CLA, Oath.INS_SEND_REMAINING, 0, 0).encode();

    private final ApduTransport delegate;
    private final int maxRounds;
    private final int maxBytes;

    public ResponseChaining(ApduTransport delegate) {
        this(delegate, DEFAULT_MAX_ROUNDS, DEFAULT_MAX_BYTES);
    }

    public ResponseChaining(ApduTransport delegate, int maxRounds, int maxBytes) {
        if (delegate == null) {
            throw new IllegalArgumentException("no delegate transport");
        }
        if (maxRounds < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        this.delegate = delegate;
        this.maxRounds = maxRounds;
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] transceive(byte[] command) throws IOException {
        byte[] reply = delegate.transceive(command);
        checkLength(reply);
        if (!StatusWord.isMoreData(sw(reply))) {
            return reply;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int rounds = 0;
        while (true) {
            int dataLength = reply.length - ResponseApdu.SW_LENGTH;
            if (joined.size() + dataLength > maxBytes) {
                throw new ChainingLimitException("chained response longer than " + maxBytes + " bytes");
            }
            joined.write(reply, 0, dataLength);
            int sw = sw(reply);
            if (!StatusWord.isMoreData(sw)) {
                joined.write(sw >>> 8);
                joined.write(sw);
                return joined.toByteArray();
            }
            if (rounds == maxRounds) {
                throw new ChainingLimitException("response still chained after " + maxRounds + " SEND REMAINING");
            }
            rounds++;
            Arrays.fill(reply, (byte) 0);
            reply = delegate.transceive(SEND_REMAINING.clone());
            checkLength(reply);
        }
    }

    private static void checkLength(byte[] reply) throws ChainingLimitException {
        if (reply == null || reply.length < ResponseApdu.SW_LENGTH) {
            throw new ChainingLimitException("response shorter than its status word");
        }
    }

    private static int sw(byte[] reply) {
        return ((reply[reply.length - 2] & 0xFF) << 8) | (reply[reply.length - 1] & 0xFF);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
