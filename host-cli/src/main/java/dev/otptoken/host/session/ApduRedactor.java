package dev.otptoken.host.session;

import dev.otptoken.protocol.oath.Oath;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns APDUs into trace text with every secret replaced by {@code <N bytes redacted>}:
 * the key of PUT and SET CODE ({@code 73}, after its type and digits bytes), and the
 * responses ({@code 75}) of SET CODE and VALIDATE in both directions, which are
 * password-equivalent. Anything this class cannot parse is redacted whole: a trace may
 * lose detail, never leak.
 */
public final class ApduRedactor {
    private static final int HEADER = 4;
    private static final int LONG_LENGTH_FORM = 0x81;
    /** PUT: type/alg byte and digits byte precede the key. */
    private static final int PUT_KEY_PREFIX = 2;
    /** SET CODE: the type/alg byte precedes the key. */
    private static final int SET_CODE_KEY_PREFIX = 1;
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    private ApduRedactor() {
    }

    /** The command as hex, secrets redacted. */
    public static String command(byte[] apdu) {
        if (apdu.length <= HEADER) {
            return HEX.formatHex(apdu);
        }
        int cla = apdu[0] & 0xFF;
        int ins = apdu[1] & 0xFF;
        boolean oath = cla == Oath.CLA;
        int keyPrefix = -1;
        boolean redactResponse = false;
        if (oath && ins == Oath.INS_PUT) {
            keyPrefix = PUT_KEY_PREFIX;
        } else if (oath && ins == Oath.INS_SET_CODE) {
            keyPrefix = SET_CODE_KEY_PREFIX;
            redactResponse = true;
        } else if (oath && ins == Oath.INS_VALIDATE) {
            redactResponse = true;
        } else {
            return HEX.formatHex(apdu);
        }
        StringBuilder sb = new StringBuilder(HEX.formatHex(apdu, 0, HEADER));
        int lc = apdu[HEADER] & 0xFF;
        sb.append(' ').append(HEX.toHexDigits(apdu[HEADER]));
        int start = HEADER + 1;
        if (start + lc > apdu.length) {
            return sb.append(redacted(apdu.length - start)).toString();
        }
        sb.append(redactTlvs(apdu, start, start + lc, keyPrefix, redactResponse));
        if (start + lc < apdu.length) {
            sb.append(' ').append(HEX.formatHex(apdu, start + lc, apdu.length));
        }
        return sb.toString();
    }

    /** The response to {@code command} as hex, the VALIDATE proof redacted. */
    public static String response(byte[] command, byte[] response) {
        boolean secret = command.length > 1 && (command[0] & 0xFF) == Oath.CLA
                && (command[1] & 0xFF) == Oath.INS_VALIDATE && response.length > 2;
        if (!secret) {
            return HEX.formatHex(response);
        }
        int dataEnd = response.length - 2;
        return redactTlvs(response, 0, dataEnd, -1, true).strip() + " " + HEX.formatHex(response, dataEnd, response.length);
    }

    private static String redactTlvs(byte[] b, int from, int to, int keyPrefix, boolean redactResponse) {
        StringBuilder sb = new StringBuilder();
        int i = from;
        while (i < to) {
            int tag = b[i] & 0xFF;
            if (tag == Oath.TAG_PROPERTY && keyPrefix == PUT_KEY_PREFIX && i + 1 < to
                    && (b[i + 1] & 0xFF) == Oath.PROP_REQUIRE_TOUCH && i + 2 == to) {
                // ykman's touch quirk: "78 02" without a length byte, always last when no IMF follows
                sb.append(' ').append(HEX.formatHex(b, i, to));
                return sb.toString();
            }
            if (i + 1 >= to) {
                return sb.append(redacted(to - i)).toString();
            }
            int len = b[i + 1] & 0xFF;
            int headerLen = 2;
            if (len == LONG_LENGTH_FORM) {
                if (i + 2 >= to) {
                    return sb.append(redacted(to - i)).toString();
                }
                len = b[i + 2] & 0xFF;
                headerLen = 3;
            } else if (len > 0x7F) {
                return sb.append(redacted(to - i)).toString();
            }
            int valueStart = i + headerLen;
            if (valueStart + len > to) {
                return sb.append(redacted(to - i)).toString();
            }
            sb.append(' ').append(HEX.formatHex(b, i, valueStart));
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
            i = valueStart + len;
            if (tag == Oath.TAG_KEY && keyPrefix == PUT_KEY_PREFIX && i < to
                    && (b[i] & 0xFF) == Oath.TAG_PROPERTY && i + 2 <= to
                    && (b[i + 1] & 0xFF) == Oath.PROP_REQUIRE_TOUCH) {
                // the touch quirk followed by more TLVs (IMF): show the two bytes, continue
                sb.append(' ').append(HEX.formatHex(b, i, i + 2));
                i += 2;
            }
        }
        return sb.toString();
    }

    private static String redacted(int n) {
        return String.format(Locale.ROOT, " <%d bytes redacted>", n);
    }
}
