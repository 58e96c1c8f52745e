package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.ResponseApdu;
import dev.otptoken.protocol.device.Device;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.tlv.TlvCursor;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns APDUs into trace text, failing closed: only commands known to carry no secret are
 * shown whole (YKOATH SELECT, LIST, CALCULATE, CALCULATE ALL, SEND REMAINING, DELETE, RENAME,
 * RESET, and the device applet's commands); the three that carry one are shown with every
 * secret replaced by {@code <N bytes redacted>} — the key of PUT and SET CODE ({@code 73},
 * after its type and digits bytes), and the responses ({@code 75}) of SET CODE and VALIDATE in
 * both directions, which are password-equivalent; any other command, and anything this class
 * cannot parse (in short or extended length form), has its whole body redacted. A new
 * instruction is therefore redacted until it is added here. Responses are shown whole only
 * for the commands shown whole; a trace may lose detail, never leak (docs/otptoken-cli.md,
 * "Verbosity and redaction").
 */
public final class ApduRedactor {
    private static final int HEADER = 4;
    private static final int SHORT_BODY = HEADER + 1;
    private static final int EXTENDED_BODY = HEADER + 3;
    /** PUT: type/alg byte and digits byte precede the key. */
    private static final int PUT_KEY_PREFIX = 2;
    /** SET CODE: the type/alg byte precedes the key. */
    private static final int SET_CODE_KEY_PREFIX = 1;
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    /** What a command's bytes may show. */
    private enum Kind { SHOWN, PUT, SET_CODE, VALIDATE, UNKNOWN }

    private ApduRedactor() {
    }

    private static Kind kind(byte[] apdu) {
        if (apdu.length < 2) {
            return Kind.UNKNOWN;
        }
        int cla = apdu[0] & 0xFF;
        int ins = apdu[1] & 0xFF;
        if (cla == Oath.CLA) {
            return switch (ins) {
                case Oath.INS_PUT -> Kind.PUT;
                case Oath.INS_SET_CODE -> Kind.SET_CODE;
                case Oath.INS_VALIDATE -> Kind.VALIDATE;
                case CommandApdu.INS_SELECT, Oath.INS_LIST, Oath.INS_CALCULATE, Oath.INS_SEND_REMAINING, Oath.INS_DELETE,
                        Oath.INS_RENAME, Oath.INS_RESET -> Kind.SHOWN;
                default -> Kind.UNKNOWN;
            };
        }
        if (cla == Device.CLA) {
            return switch (ins) {
                case Device.INS_GET_INFO, Device.INS_GET_CLOCK, Device.INS_SET_CLOCK, Device.INS_SET_TRIM,
                        Device.INS_GET_COMPENSATION, Device.INS_SET_COMPENSATION, Device.INS_GET_TEMPERATURE,
                        Device.INS_GET_DISPLAY, Device.INS_SET_DISPLAY -> Kind.SHOWN;
                default -> Kind.UNKNOWN;
            };
        }
        return Kind.UNKNOWN;
    }

    /** The command as hex, secrets redacted. */
    public static String command(byte[] apdu) {
        Kind kind = kind(apdu);
        if (kind == Kind.SHOWN || apdu.length <= HEADER) {
            return HEX.formatHex(apdu);
        }
        StringBuilder sb = new StringBuilder(HEX.formatHex(apdu, 0, HEADER));
        // Lc: one byte (short), or 00 and two bytes (extended); 5 bytes alone is Le only.
        int start;
        int lc;
        if (apdu[HEADER] != 0 || apdu.length == SHORT_BODY) {
            start = SHORT_BODY;
            lc = apdu.length == SHORT_BODY ? 0 : apdu[HEADER] & 0xFF;
        } else if (apdu.length >= EXTENDED_BODY) {
            start = EXTENDED_BODY;
            lc = (apdu[HEADER + 1] & 0xFF) << Byte.SIZE | (apdu[HEADER + 2] & 0xFF);
        } else {
            return sb.append(redacted(apdu.length - HEADER)).toString();
        }
        sb.append(' ').append(HEX.formatHex(apdu, HEADER, start));
        if (start + lc > apdu.length || kind == Kind.UNKNOWN) {
            return sb.append(redacted(apdu.length - start)).toString();
        }
        int keyPrefix = kind == Kind.PUT ? PUT_KEY_PREFIX : kind == Kind.SET_CODE ? SET_CODE_KEY_PREFIX : -1;
        boolean redactResponse = kind == Kind.SET_CODE || kind == Kind.VALIDATE;
        sb.append(redactTlvs(apdu, start, start + lc, keyPrefix, redactResponse));
        if (start + lc < apdu.length) {
            sb.append(' ').append(HEX.formatHex(apdu, start + lc, apdu.length));
        }
        return sb.toString();
    }

    /**
     * The response to {@code command} as hex: whole for a command shown whole, the VALIDATE
     * proof redacted, and for any other command only its status word.
     */
    public static String response(byte[] command, byte[] response) {
        Kind kind = kind(command);
        if (kind == Kind.SHOWN || response.length <= ResponseApdu.SW_LENGTH) {
            return HEX.formatHex(response);
        }
        int dataEnd = response.length - ResponseApdu.SW_LENGTH;
        if (kind == Kind.VALIDATE) {
            return redactTlvs(response, 0, dataEnd, -1, true).strip() + " "
                    + HEX.formatHex(response, dataEnd, response.length);
        }
        return redacted(dataEnd).strip() + " " + HEX.formatHex(response, dataEnd, response.length);
    }

    private static String redactTlvs(byte[] b, int from, int to, int keyPrefix, boolean redactResponse) {
        StringBuilder sb = new StringBuilder();
        TlvCursor c = new TlvCursor().reset(b, from, to - from);
        while (c.hasRemaining()) {
            if (keyPrefix == PUT_KEY_PREFIX && c.nextProperty(Oath.TAG_PROPERTY, Oath.ALL_PROPERTIES, Oath.TAG_IMF)) {
                // the property, with or without its length byte (ykman sends "78 02"): not secret
                sb.append(' ').append(HEX.formatHex(b, c.objectOffset(), c.position()));
                continue;
            }
            if (!c.next()) {
                return sb.append(redacted(to - c.position())).toString();
            }
            int tag = c.tag();
            int valueStart = c.valueOffset();
            int len = c.valueLength();
            sb.append(' ').append(HEX.formatHex(b, c.objectOffset(), valueStart));
            if (tag == Oath.TAG_KEY && keyPrefix >= 0) {
                int shown = Math.min(keyPrefix, len);
                if (shown > 0) {
                    sb.append(' ').append(HEX.formatHex(b, valueStart, valueStart + shown));
                }
                if (len > shown) {
                    sb.append(redacted(len - shown));
                }
            } else if (tag == Oath.TAG_RESPONSE && redactResponse) {
                sb.append(redacted(len));
            } else if (len > 0) {
                sb.append(' ').append(HEX.formatHex(b, valueStart, valueStart + len));
            }
        }
        return sb.toString();
    }

    private static String redacted(int n) {
        return String.format(Locale.ROOT, " <%d bytes redacted>", n);
    }
}
