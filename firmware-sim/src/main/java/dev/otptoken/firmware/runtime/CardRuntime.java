package dev.otptoken.firmware.runtime;

import dev.otptoken.hardware.memory.NonVolatileMemory;
import dev.otptoken.protocol.apdu.StatusWord;
import java.util.Arrays;
import org.tinylog.Logger;

/**
 * The Java Card–style runtime: applets installed by AID, SELECT, dispatch, status words.
 *
 * <p>Rules: SELECT (CLA 00, INS A4, P1 04) with an exactly matching AID selects that
 * applet and passes the SELECT to it; an unknown AID answers 6A82 and leaves nothing
 * selected (ykman probes other AIDs and needs 6A82). Any other command goes to the
 * selected applet (INS A4 with P1 ≠ 04 is YKOATH CALCULATE ALL); with none selected it
 * is 6A82. {@link StatusWordException} becomes SW1SW2, any other
 * {@link RuntimeException} 6F00 (logged without buffer bytes); an {@link Error}
 * (power loss) is never caught. A transaction left open by a failed command is aborted.
 * One APDU at a time: the serial and contactless interfaces share the chip.
 */
public final class CardRuntime {
    private static final int CLA_ISO = 0x00;
    private static final int INS_SELECT = 0xA4;
    private static final int P1_SELECT_BY_NAME = 0x04;
    private static final int MAX_APPLETS = 8;
    private static final int SW_LENGTH = 2;

    private final NonVolatileMemory memory;
    private final byte[][] aids = new byte[MAX_APPLETS][];
    private final Applet[] applets = new Applet[MAX_APPLETS];
    private final Apdu apdu = new Apdu();
    private final byte[] scratchResponse = new byte[Apdu.MAX_RESPONSE_DATA + SW_LENGTH];
    private int installed;
    private int selected = -1;

    /** {@code memory} is the one whose open transactions are aborted after failures. */
    public CardRuntime(NonVolatileMemory memory) {
        this.memory = memory;
    }

    /** Installs {@code applet} under {@code aid} (copied). */
    public synchronized void install(byte[] aid, Applet applet) {
        if (installed == MAX_APPLETS) {
            throw new IllegalStateException("too many applets");
        }
        for (int i = 0; i < installed; i++) {
            if (Arrays.equals(aids[i], aid)) {
                throw new IllegalArgumentException("AID already installed");
            }
        }
        aids[installed] = aid.clone();
        applets[installed] = applet;
        installed++;
    }

    /** Convenience form: allocates and returns response data + SW. */
    public synchronized byte[] transmit(byte[] command) {
        int n = transmit(command, command.length, scratchResponse);
        return Arrays.copyOf(scratchResponse, n);
    }

    /**
     * Processes {@code command[0..len)} and writes response data + SW1SW2 into
     * {@code response} (at least 258 bytes); returns the number of bytes written.
     * Allocates nothing.
     */
    public synchronized int transmit(byte[] command, int len, byte[] response) {
        int sw = apdu.load(command, len);
        if (sw != StatusWord.OK) {
            return writeSw(response, 0, sw);
        }
        if (apdu.cla() == CLA_ISO && apdu.ins() == INS_SELECT && apdu.p1() == P1_SELECT_BY_NAME) {
            int target = find(apdu.buffer(), apdu.dataOffset(), apdu.lc());
            deselectCurrent();
            if (target < 0 || !applets[target].select()) {
                return writeSw(response, 0, StatusWord.FILE_NOT_FOUND);
            }
            selected = target;
            apdu.setSelecting(true);
        } else if (selected < 0) {
            return writeSw(response, 0, StatusWord.FILE_NOT_FOUND);
        }
        Applet applet = applets[selected];
        try {
            applet.process(apdu);
            sw = apdu.statusWord();
        } catch (StatusWordException e) {
            apdu.setOutgoing(0);
            sw = e.statusWord();
        } catch (RuntimeException e) {
            apdu.setOutgoing(0);
            sw = StatusWord.UNKNOWN;
            Logger.error("applet failed on INS {}: {}", Integer.toHexString(apdu.ins()),
                    e.getClass().getName());
        }
        // Not in a finally: after a PowerLossError the chip is dead, nothing runs.
        if (memory.inTransaction()) {
            memory.abortTransaction();
        }
        int n = apdu.outgoingLength();
        System.arraycopy(apdu.buffer(), 0, response, 0, n);
        return writeSw(response, n, sw);
    }

    /** Warm reset: clears every applet's transient state and the selection. */
    public synchronized void warmReset() {
        deselectCurrent();
        for (int i = 0; i < installed; i++) {
            applets[i].resetTransient();
        }
    }

    /** Power lost or restored: the same as a warm reset for RAM state. */
    public synchronized void powerEvent() {
        warmReset();
    }

    /** Whether an applet is selected (for tests and the simulator's status line). */
    public synchronized boolean hasSelection() {
        return selected >= 0;
    }

    private void deselectCurrent() {
        if (selected >= 0) {
            int was = selected;
            selected = -1;
            applets[was].deselect();
        }
    }

    private int find(byte[] buf, int off, int len) {
        for (int i = 0; i < installed; i++) {
            byte[] aid = aids[i];
            if (aid.length == len && Arrays.equals(aid, 0, len, buf, off, off + len)) {
                return i;
            }
        }
        return -1;
    }

    private static int writeSw(byte[] response, int off, int sw) {
        response[off] = (byte) (sw >>> 8);
        response[off + 1] = (byte) sw;
        return off + SW_LENGTH;
    }
}
