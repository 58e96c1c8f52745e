package dev.otptoken.firmware.oath;

import dev.otptoken.firmware.runtime.Apdu;
import dev.otptoken.firmware.runtime.StatusWordException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.Oath;
import java.util.Arrays;

/**
 * What the OATH applet keeps in RAM for one interface (contact or contactless): whether this
 * interface's session has validated the password, the challenge SELECT sent for VALIDATE,
 * and a reply too long for one response, handed out by SEND REMAINING (61xx). A
 * dual-interface chip keeps the contact session's unlock and pending reply while a
 * contactless field comes and goes, so each interface has its own. Allocated at install.
 */
final class InterfaceSession {
    private static final int SW2_256_OR_MORE = 0x00;
    private static final int MAX_SW2 = 0xFF;

    /** The reply being built or handed out. */
    final byte[] reply;
    /** The challenge of the last SELECT, while a password is set. */
    final byte[] selectChallenge = new byte[Oath.CHALLENGE_LENGTH];
    private int replyLength;
    private int replyPosition;
    private boolean challengePending;
    private boolean unlocked;

    InterfaceSession(int replyCapacity) {
        this.reply = new byte[replyCapacity];
    }

    /** Forgets everything: a new SELECT, a deselect, a RESET, or the field gone. */
    void reset() {
        unlocked = false;
        challengePending = false;
        Arrays.fill(selectChallenge, (byte) 0);
        cancelReply();
    }

    boolean unlocked() {
        return unlocked;
    }

    void unlock(boolean open) {
        unlocked = open;
    }

    /** Marks the select challenge as sent; VALIDATE may use it once. */
    void challengeSent() {
        challengePending = true;
    }

    /** Whether a select challenge is waiting for VALIDATE. */
    boolean challengePending() {
        return challengePending;
    }

    /** VALIDATE has used the select challenge: one try per SELECT. */
    void challengeUsed() {
        challengePending = false;
    }

    /** Sends the first part of the {@code len} bytes built in {@link #reply}. */
    void startReply(Apdu apdu, int len) {
        replyLength = len;
        replyPosition = 0;
        sendChunk(apdu);
    }

    /** SEND REMAINING: the next part, or 6985 when nothing is pending. */
    void sendRemaining(Apdu apdu) {
        if (replyPosition >= replyLength) {
            StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        sendChunk(apdu);
    }

    private void sendChunk(Apdu apdu) {
        int n = Math.min(replyLength - replyPosition, Apdu.MAX_RESPONSE_DATA);
        System.arraycopy(reply, replyPosition, apdu.buffer(), 0, n);
        replyPosition += n;
        apdu.setOutgoing(n);
        int left = replyLength - replyPosition;
        if (left > 0) {
            apdu.setStatusWord((StatusWord.SW1_MORE_DATA << 8) | (left > MAX_SW2 ? SW2_256_OR_MORE : left));
        } else {
            cancelReply();
        }
    }

    /** Drops a pending reply: any command but SEND REMAINING does. */
    void cancelReply() {
        replyLength = 0;
        replyPosition = 0;
    }
}
