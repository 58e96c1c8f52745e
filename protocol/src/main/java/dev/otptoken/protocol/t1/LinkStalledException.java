package dev.otptoken.protocol.t1;

import java.io.IOException;

/**
 * A {@link ByteLink#write} gave up because the far side stopped reading for longer than the
 * link's stall limit. The link is still up: the bytes not sent (and whatever the link could
 * not deliver before them) are dropped, and the link may be used again. A card treats this as
 * a lost reply, not as a lost line: it keeps listening, and T=1 recovers (the host's R-block or
 * S(RESYNCH) on its next open).
 */
public final class LinkStalledException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int droppedBytes;

    public LinkStalledException(String message, int droppedBytes) {
        super(message);
        this.droppedBytes = droppedBytes;
    }

    /** How many bytes of the failed write were not sent. */
    public int droppedBytes() {
        return droppedBytes;
    }
}
