package dev.otptoken.firmware.runtime;

import dev.otptoken.hardware.memory.MemoryFailureException;
import dev.otptoken.hardware.memory.NonVolatileMemory;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.ResponseApdu;
import dev.otptoken.protocol.apdu.StatusWord;
import java.util.Arrays;

/**
 * The Java Card–style runtime: applets installed by AID, SELECT, dispatch, status words.
 *
 * <p>Rules: SELECT (CLA 00, INS A4, P1 04) with an exactly matching AID selects that
 * applet and passes the SELECT to it; an unknown AID answers 6A82 and leaves nothing
 * selected (ykman probes other AIDs and needs 6A82). Any other command goes to the
 * selected applet (INS A4 with P1 ≠ 04 is YKOATH CALCULATE ALL); with none selected it
 * is 6A82. {@link StatusWordException} becomes SW1SW2, a {@link MemoryFailureException}
 * (a write that could not be made durable; the memory has undone it) 6581, any other
 * {@link RuntimeException} 6F00 (logged without buffer bytes); an {@link Error}
 * (power loss) is never caught. A transaction left open by a failed command is aborted.
 * After every command, whatever its outcome, the APDU buffer is zeroed: a command's data
 * (a refused PUT's key) never outlives it.
 * One APDU at a time: the serial and contactless interfaces share the chip, but each has
 * its own selection and transient state, as on a dual-interface chip: a field that comes
 * and goes on the contactless side does not deselect or lock the contact side.
 */
public final class CardRuntime {
    /** The contact interface (the serial line). */
    public static final int CONTACT = 0;
    /** The contactless interface (PC/SC through vpcd). */
    public static final int CONTACTLESS = 1;
    /** Number of interfaces. */
    public static final int INTERFACES = 2;

    private static final int MAX_APPLETS = 8;

    private final NonVolatileMemory memory;
    private final byte[][] aids = new byte[MAX_APPLETS][];
    private final Applet[] applets = new Applet[MAX_APPLETS];
    private final Apdu apdu = new Apdu();
    private final byte[] scratchResponse = new byte[Apdu.MAX_RESPONSE_DATA + ResponseApdu.SW_LENGTH];
    private int installed;
    private final int[] selected = {-1, -1};

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

    /** Convenience form on the contact interface: allocates and returns response data + SW. */
    public synchronized byte[] transmit(byte[] command) {
        return transmit(CONTACT, command);
    }

    /** Convenience form: allocates and returns response data + SW. */
    public synchronized byte[] transmit(int iface, byte[] command) {
        int n = transmit(iface, command, command.length, scratchResponse);
        return Arrays.copyOf(scratchResponse, n);
    }

    /** {@link #transmit(int, byte[], int, byte[])} on the contact interface. */
    public synchronized int transmit(byte[] command, int len, byte[] response) {
        return transmit(CONTACT, command, len, response);
    }

    /**
     * Processes {@code command[0..len)} and writes response data + SW1SW2 into
     * {@code response} (at least 258 bytes); returns the number of bytes written.
     * Allocates nothing.
     */
    public synchronized int transmit(int iface, byte[] command, int len, byte[] response) {
        checkInterface(iface);
        try {
            return process(iface, command, len, response);
        } finally {
            // Whatever the outcome (9000, any error status word, an exception, even a power
            // loss), no command's data stays in the APDU buffer: a refused PUT carried a key.
            // The response has already been copied out; filling costs no allocation.
            apdu.wipe();
        }
    }

    private int process(int iface, byte[] command, int len, byte[] response) {
        int sw = apdu.load(command, len);
        apdu.setInterfaceIndex(iface);
        if (sw != StatusWord.OK) {
            return writeSw(response, 0, sw);
        }
        if (apdu.cla() == CommandApdu.CLA_ISO && apdu.ins() == CommandApdu.INS_SELECT
                && apdu.p1() == CommandApdu.P1_SELECT_BY_NAME) {
            int target = find(apdu.buffer(), apdu.dataOffset(), apdu.lc());
            deselectCurrent(iface);
            if (target < 0 || !applets[target].select(iface)) {
                return writeSw(response, 0, StatusWord.FILE_NOT_FOUND);
            }
            selected[iface] = target;
            apdu.setSelecting(true);
        } else if (selected[iface] < 0) {
            return writeSw(response, 0, StatusWord.FILE_NOT_FOUND);
        }
        Applet applet = applets[selected[iface]];
        try {
            applet.process(apdu);
            sw = apdu.statusWord();
        } catch (StatusWordException e) {
            apdu.setOutgoing(0);
            sw = e.statusWord();
        } catch (MemoryFailureException e) {
            // Like a chip whose EEPROM write fails: the command fails, and the memory has
            // rolled the change back, so what it holds is what was saved.
            apdu.setOutgoing(0);
            sw = StatusWord.MEMORY_FAILURE;
            Log.error("INS {}: memory failure, answered 6581: {}",
                    String.format(java.util.Locale.ROOT, "%02X", apdu.ins()), e.getMessage());
        } catch (RuntimeException e) {
            apdu.setOutgoing(0);
            sw = StatusWord.UNKNOWN;
            Log.error("applet failed on INS {}: {}", Integer.toHexString(apdu.ins()),
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

    /**
     * A copy of the APDU buffer as it stands between commands: for the secret audit (a
     * command's data must not remain there). Allocates; not for the command path.
     */
    public synchronized byte[] apduBufferSnapshot() {
        return apdu.buffer().clone();
    }

    /** Warm reset of the contact interface. */
    public synchronized void warmReset() {
        warmReset(CONTACT);
    }

    /** Warm reset of {@code iface}: clears its selection and every applet's transient state there. */
    public synchronized void warmReset(int iface) {
        checkInterface(iface);
        deselectCurrent(iface);
        for (int i = 0; i < installed; i++) {
            applets[i].resetTransient(iface);
        }
    }

    /** Power lost or restored on the contact interface. */
    public synchronized void powerEvent() {
        powerEvent(CONTACT);
    }

    /** Power lost or restored on {@code iface} (the contactless field): the same as a warm reset there. */
    public synchronized void powerEvent(int iface) {
        warmReset(iface);
    }

    /** Whether an applet is selected on the contact interface (tests, the status line). */
    public synchronized boolean hasSelection() {
        return selected[CONTACT] >= 0;
    }

    private static void checkInterface(int iface) {
        if (iface < 0 || iface >= INTERFACES) {
            throw new IllegalArgumentException("no interface " + iface);
        }
    }

    private void deselectCurrent(int iface) {
        if (selected[iface] >= 0) {
            int was = selected[iface];
            selected[iface] = -1;
            applets[was].deselect(iface);
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
        return off + ResponseApdu.SW_LENGTH;
    }
}
