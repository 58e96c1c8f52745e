package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.ResponseChaining;
import dev.otptoken.protocol.management.Management;
import dev.otptoken.protocol.tlv.TlvCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of a YubiKey's management application (docs/management.md): SELECT, whose
 * answer carries the firmware version as text, and READ CONFIG, the device information, one
 * page after another while the key says more follows. A token without the application (this
 * project's own model) answers 6A82 to the SELECT.
 */
public final class ManagementSession {
    /** The version is the first {@code N.N.N} of the SELECT text, as ykman reads it. */
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    /** Pages read at most; a key that always says "more" is refused rather than read forever. */
    private static final int MAX_PAGES = 8;
    private static final int VERSION_LENGTH = 3;

    private final ApduTransport transport;

    public ManagementSession(ApduTransport transport) {
        this.transport = new ResponseChaining(transport);
    }

    /** Selects the application and returns the firmware version its answer names. */
    public String select() throws IOException, ApduException {
        byte[] answer = CheckedExchange.transmit(transport, CommandApdu.select(Management.aid()));
        Matcher m = VERSION.matcher(new String(answer, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException("the management application's answer names no firmware version");
        }
        return m.group();
    }

    /** READ CONFIG, every page. */
    public ManagementInfo readInfo() throws IOException, ApduException {
        long serial = -1;
        int[] version = null;
        int formFactor = 0;
        int usbSupported = 0;
        int usbEnabled = 0;
        int nfcSupported = 0;
        int nfcEnabled = 0;
        TlvCursor c = new TlvCursor();
        for (int page = 0; page < MAX_PAGES; page++) {
            byte[] data = CheckedExchange.transmit(transport,
                    CommandApdu.of(Management.CLA, Management.INS_READ_CONFIG, page, 0));
            if (data.length < 1 || (data[0] & 0xFF) != data.length - 1) {
                throw new IOException("device information page " + page + " is malformed ("
                        + data.length + " bytes, length byte " + (data.length < 1 ? "missing" : data[0] & 0xFF) + ")");
            }
            c.reset(data, 1, data.length - 1);
            boolean more = false;
            while (c.hasRemaining()) {
                if (!c.next()) {
                    throw new IOException("device information page " + page + " is malformed (" + c.problem() + ")");
                }
                int v = c.valueOffset();
                int len = c.valueLength();
                switch (c.tag()) {
                    case Management.TAG_SERIAL -> serial = unsigned(data, v, len);
                    case Management.TAG_VERSION -> {
                        if (len != VERSION_LENGTH) {
                            throw new IOException("firmware version has " + len + " bytes");
                        }
                        version = new int[] {data[v] & 0xFF, data[v + 1] & 0xFF, data[v + 2] & 0xFF};
                    }
                    case Management.TAG_FORM_FACTOR -> formFactor = (int) unsigned(data, v, len);
                    case Management.TAG_USB_SUPPORTED -> usbSupported = (int) unsigned(data, v, len);
                    case Management.TAG_USB_ENABLED -> usbEnabled = (int) unsigned(data, v, len);
                    case Management.TAG_NFC_SUPPORTED -> nfcSupported = (int) unsigned(data, v, len);
                    case Management.TAG_NFC_ENABLED -> nfcEnabled = (int) unsigned(data, v, len);
                    case Management.TAG_MORE_DATA -> more = len == 1 && data[v] == 1;
                    default -> {
                        // other tags (timeouts, flags, lock, free-form data) are not shown
                    }
                }
            }
            if (!more) {
                if (version == null) {
                    throw new IOException("the device information names no firmware version");
                }
                return new ManagementInfo(serial, version[0], version[1], version[2], formFactor, usbSupported,
                        usbEnabled, nfcSupported, nfcEnabled);
            }
        }
        throw new IOException("the device information has more than " + MAX_PAGES + " pages");
    }

    private static long unsigned(byte[] b, int off, int len) throws IOException {
        if (len < 1 || len > Integer.BYTES) {
            throw new IOException("device information field of " + len + " bytes");
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << Byte.SIZE) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
