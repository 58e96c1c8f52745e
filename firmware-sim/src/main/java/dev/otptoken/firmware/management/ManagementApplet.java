package dev.otptoken.firmware.management;

import dev.otptoken.firmware.runtime.Apdu;
import dev.otptoken.firmware.runtime.Applet;
import dev.otptoken.firmware.runtime.StatusWordException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.management.Management;
import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * The YubiKey management application (AID {@code A0 00 00 05 27 47 11 17}) as far as a host
 * reads it: SELECT answers the firmware version as ASCII text, READ CONFIG ({@code 00 1D P1 00})
 * the device-information TLVs of page P1 (docs/management.md). Nothing can be written: WRITE
 * CONFIG and the other instructions answer 6D00.
 *
 * <p>The answers are built once at install (the serial and the model's values do not change
 * while the token runs); a command copies one into the APDU buffer and allocates nothing.
 */
public final class ManagementApplet implements Applet {
    private final byte[] selectText;
    private final byte[][] pages;

    /** The application of a device with {@code info} and serial number {@code serial} (0..2^32-1). */
    public ManagementApplet(DeviceInfo info, long serial) {
        Objects.requireNonNull(info, "info");
        if (serial < 0 || serial > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serial out of range");
        }
        this.selectText = Management.selectText(info.major(), info.minor(), info.patch());
        this.pages = encode(info, serial);
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
    public void resetTransient(int iface) {
        // nothing transient
    }

    @Override
    public void process(Apdu apdu) {
        if (apdu.isSelecting()) {
            send(apdu, selectText);
            return;
        }
        if (apdu.cla() != Management.CLA) {
            StatusWordException.throwIt(StatusWord.CLA_NOT_SUPPORTED);
        }
        if (apdu.ins() != Management.INS_READ_CONFIG) {
            StatusWordException.throwIt(StatusWord.INS_NOT_SUPPORTED);
        }
        if (apdu.p1() >= pages.length || apdu.p2() != 0) {
            StatusWordException.throwIt(StatusWord.INCORRECT_P1P2);
        }
        if (apdu.lc() != 0) {
            StatusWordException.throwIt(StatusWord.WRONG_LENGTH);
        }
        send(apdu, pages[apdu.p1()]);
    }

    private static void send(Apdu apdu, byte[] reply) {
        System.arraycopy(reply, 0, apdu.buffer(), 0, reply.length);
        apdu.setOutgoing(reply.length);
    }

    /** Each page: one length byte, then the TLVs in the order the firmware sends them. */
    private static byte[][] encode(DeviceInfo info, long serial) {
        ByteArrayOutputStream page0 = new ByteArrayOutputStream();
        tlv(page0, Management.TAG_USB_SUPPORTED, info.usbSupported(), 2);
        tlv(page0, Management.TAG_USB_ENABLED, info.usbEnabled(), 2);
        tlv(page0, Management.TAG_SERIAL, serial, 4);
        tlv(page0, Management.TAG_FORM_FACTOR, info.formFactor(), 1);
        page0.write(Management.TAG_VERSION);
        page0.write(3);
        page0.write(info.major());
        page0.write(info.minor());
        page0.write(info.patch());
        tlv(page0, Management.TAG_AUTO_EJECT_TIMEOUT, 0, 2);
        tlv(page0, Management.TAG_CHALRESP_TIMEOUT, info.challengeResponseTimeout(), 1);
        tlv(page0, Management.TAG_DEVICE_FLAGS, 0, 1);
        tlv(page0, Management.TAG_NFC_SUPPORTED, info.nfcSupported(), 2);
        tlv(page0, Management.TAG_NFC_ENABLED, info.nfcEnabled(), 2);
        tlv(page0, Management.TAG_CONFIG_LOCK, 0, 1);
        tlv(page0, Management.TAG_IAP_DETECTION, 0, 1);
        if (info.layout() == DeviceInfo.Layout.ONE_PAGE) {
            return new byte[][] {withLength(page0)};
        }
        tlv(page0, Management.TAG_FPS_VERSION, 0, 3);
        tlv(page0, Management.TAG_STM_VERSION, 0, 3);
        tlv(page0, Management.TAG_MORE_DATA, 1, 1);
        ByteArrayOutputStream page1 = new ByteArrayOutputStream();
        tlv(page1, Management.TAG_FREE_FORM, 0, 4);
        tlv(page1, Management.TAG_HID_INIT_DELAY, 0, 1);
        return new byte[][] {withLength(page0), withLength(page1)};
    }

    private static void tlv(ByteArrayOutputStream out, int tag, long value, int len) {
        out.write(tag);
        out.write(len);
        for (int i = len - 1; i >= 0; i--) {
            out.write((int) (value >>> (Byte.SIZE * i)) & 0xFF);
        }
    }

    private static byte[] withLength(ByteArrayOutputStream tlvs) {
        byte[] body = tlvs.toByteArray();
        if (body.length > 0xFF || body.length + 1 > Apdu.MAX_RESPONSE_DATA) {
            throw new IllegalStateException("device information too long");
        }
        byte[] page = new byte[body.length + 1];
        page[0] = (byte) body.length;
        System.arraycopy(body, 0, page, 1, body.length);
        return page;
    }
}
