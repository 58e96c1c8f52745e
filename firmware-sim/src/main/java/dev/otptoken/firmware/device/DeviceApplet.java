package dev.otptoken.firmware.device;

import dev.otptoken.firmware.runtime.Apdu;
import dev.otptoken.firmware.runtime.Applet;
import dev.otptoken.firmware.runtime.StatusWordException;

/**
 * The device applet (AID {@code F0 4F 54 50 54 4B 4E 01}, docs/protocol.md) on the card
 * runtime. The commands are {@link DeviceCommands}; this class moves bytes between the
 * runtime's APDU buffer and them. SELECT answers 9000 without data. It keeps no
 * transient state: everything it knows is in the RTC and the persistent record.
 */
public final class DeviceApplet implements Applet {
    private final DeviceCommands commands;
    private final byte[] reply = new byte[DeviceCommands.MAX_REPLY];

    public DeviceApplet(DeviceCommands commands) {
        this.commands = commands;
    }

    @Override
    public boolean select(int iface) {
        return true;
    }

    @Override
    public void deselect(int iface) {
        // nothing transient
    }

    @Override
    public void process(Apdu apdu) {
        if (apdu.isSelecting()) {
            return;
        }
        int n;
        try {
            n = commands.process(apdu.cla(), apdu.ins(), apdu.p1(), apdu.p2(),
                    apdu.buffer(), apdu.dataOffset(), apdu.lc(), reply);
        } catch (CommandRefused e) {
            throw StatusWordException.of(e.sw());
        }
        System.arraycopy(reply, 0, apdu.buffer(), 0, n);
        apdu.setOutgoing(n);
    }

    @Override
    public void resetTransient(int iface) {
        // nothing transient
    }
}
