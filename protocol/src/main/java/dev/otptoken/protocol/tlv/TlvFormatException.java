package dev.otptoken.protocol.tlv;

/**
 * Bytes that are not the BER-TLV this project accepts. Checked, because TLV arrives from
 * outside; the message never contains the bytes, which may carry a key.
 */
public class TlvFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlvFormatException(String message) {
        super(message);
    }
}
