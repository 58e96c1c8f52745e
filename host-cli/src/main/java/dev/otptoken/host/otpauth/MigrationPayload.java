package dev.otptoken.host.otpauth;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Google Authenticator's export, {@code otpauth-migration://offline?data=BASE64}, whose data
 * is a protobuf {@code MigrationPayload}. Read field by field with protobuf-java's
 * {@link CodedInputStream} rather than generated classes, so the build needs no protoc;
 * unknown fields and fields of an unexpected wire type are skipped, as generated code would.
 * Accounts the token cannot hold are reported in {@link MigrationBatch#skipped()}, not thrown.
 */
public final class MigrationPayload {
    static final String SCHEME = "otpauth-migration://";
    private static final String HOST = "offline";
    private static final String DATA = "data";

    // MigrationPayload fields
    private static final int PAYLOAD_OTP_PARAMETERS = 1;
    private static final int PAYLOAD_VERSION = 2;
    private static final int PAYLOAD_BATCH_SIZE = 3;
    private static final int PAYLOAD_BATCH_INDEX = 4;
    private static final int PAYLOAD_BATCH_ID = 5;
    // OtpParameters fields
    private static final int OTP_SECRET = 1;
    private static final int OTP_NAME = 2;
    private static final int OTP_ISSUER = 3;
    private static final int OTP_ALGORITHM = 4;
    private static final int OTP_DIGITS = 5;
    private static final int OTP_TYPE = 6;
    private static final int OTP_COUNTER = 7;
    // Algorithm enum
    private static final int ALGORITHM_UNSPECIFIED = 0;
    private static final int ALGORITHM_SHA1 = 1;
    private static final int ALGORITHM_SHA256 = 2;
    private static final int ALGORITHM_SHA512 = 3;
    private static final int ALGORITHM_MD5 = 4;
    // DigitCount enum
    private static final int DIGIT_COUNT_UNSPECIFIED = 0;
    private static final int DIGIT_COUNT_SIX = 1;
    private static final int DIGIT_COUNT_EIGHT = 2;
    // OtpType enum
    private static final int OTP_TYPE_HOTP = 1;
    private static final int OTP_TYPE_TOTP = 2;

    /** A protobuf tag is the field number shifted past the 3-bit wire type. */
    private static final int TAG_TYPE_BITS = 3;
    private static final int SIX_DIGITS = 6;
    private static final int EIGHT_DIGITS = 8;

    private MigrationPayload() {
    }

    /**
     * Parses one export QR code.
     *
     * @throws InvalidUriException if the URI is not a migration URI or its data is not
     *     Base64 of a well-formed MigrationPayload; never with the data in the message
     */
    public static MigrationBatch parse(String uri) throws InvalidUriException {
        String rest = UriText.afterScheme(uri, SCHEME);
        int question = rest.indexOf('?');
        String host = question < 0 ? rest : rest.substring(0, question);
        if (!host.equalsIgnoreCase(HOST) && !host.equalsIgnoreCase(HOST + "/")) {
            throw new InvalidUriException("unsupported migration URI (expected otpauth-migration://offline?data=...)");
        }
        Map<String, String> params = UriText.query(question < 0 ? "" : rest.substring(question + 1));
        String data = params.get(DATA);
        if (data == null || data.isBlank()) {
            throw new InvalidUriException("missing data parameter in the migration URI");
        }
        byte[] payload = decodeBase64(data);
        try {
            return readPayload(payload);
        } finally {
            SecretBytes.wipe(payload);
        }
    }

    /**
     * Base64 as exporters actually write it: standard alphabet, where a '+' that was not
     * percent-encoded has become a space on the way (form decoding), sometimes the URL-safe
     * alphabet, padding optional.
     */
    private static byte[] decodeBase64(String data) throws InvalidUriException {
        String normal = data.strip().replace(' ', '+').replace('-', '+').replace('_', '/');
        try {
            return Base64.getDecoder().decode(normal);
        } catch (IllegalArgumentException e) {
            throw new InvalidUriException("migration data is not valid Base64");
        }
    }

    private static MigrationBatch readPayload(byte[] payload) throws InvalidUriException {
        List<OtpCredential> accepted = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int batchSize = 1;
        int batchIndex = 0;
        int batchId = 0;
        boolean done = false;
        try {
            CodedInputStream in = CodedInputStream.newInstance(payload);
            while (!done) {
                int tag = in.readTag();
                if (tag == 0) {
                    done = true;
                } else if (tag == lengthDelimited(PAYLOAD_OTP_PARAMETERS)) {
                    ByteString entry = in.readBytes();
                    readParameters(entry, accepted, skipped);
                } else if (tag == varint(PAYLOAD_VERSION)) {
                    in.readInt32();
                } else if (tag == varint(PAYLOAD_BATCH_SIZE)) {
                    batchSize = in.readInt32();
                } else if (tag == varint(PAYLOAD_BATCH_INDEX)) {
                    batchIndex = in.readInt32();
                } else if (tag == varint(PAYLOAD_BATCH_ID)) {
                    batchId = in.readInt32();
                } else if (!in.skipField(tag)) {
                    done = true; // an end-group tag at top level ends the message, as in generated code
                }
            }
        } catch (IOException e) {
            // InvalidProtocolBufferException: truncated, bad varint, bad wire type, …
            accepted.forEach(OtpCredential::destroy);
            throw new InvalidUriException("migration data is not a valid Google Authenticator export");
        }
        return new MigrationBatch(accepted, skipped, batchIndex, batchSize, batchId);
    }

    private static void readParameters(ByteString entry, List<OtpCredential> accepted, List<Skipped> skipped)
            throws IOException {
        byte[] secret = new byte[0];
        String name = "";
        String issuer = "";
        int algorithm = ALGORITHM_UNSPECIFIED;
        int digits = DIGIT_COUNT_UNSPECIFIED;
        int type = 0;
        long counter = 0;
        try {
            CodedInputStream in = entry.newCodedInput();
            boolean done = false;
            while (!done) {
                int tag = in.readTag();
                if (tag == 0) {
                    done = true;
                } else if (tag == lengthDelimited(OTP_SECRET)) {
                    SecretBytes.wipe(secret);
                    secret = in.readByteArray();
                } else if (tag == lengthDelimited(OTP_NAME)) {
                    name = in.readStringRequireUtf8();
                } else if (tag == lengthDelimited(OTP_ISSUER)) {
                    issuer = in.readStringRequireUtf8();
                } else if (tag == varint(OTP_ALGORITHM)) {
                    algorithm = in.readEnum();
                } else if (tag == varint(OTP_DIGITS)) {
                    digits = in.readEnum();
                } else if (tag == varint(OTP_TYPE)) {
                    type = in.readEnum();
                } else if (tag == varint(OTP_COUNTER)) {
                    counter = in.readInt64();
                } else if (!in.skipField(tag)) {
                    done = true;
                }
            }
            String reason = refusal(secret, algorithm, digits, type, counter);
            UriText.Label label = UriText.Label.split(name);
            String shownName = name.isEmpty() ? "(unnamed)" : name;
            if (reason != null) {
                skipped.add(new Skipped(shownName, reason));
                return;
            }
            // The export's name is the otpauth label ("issuer:account" or "account"); split it
            // the same way, with the issuer field winning like the issuer parameter does.
            String finalIssuer = issuer.isBlank() ? label.issuer() : issuer.strip();
            OathType oathType = type == OTP_TYPE_HOTP ? OathType.HOTP : OathType.TOTP;
            try {
                accepted.add(new OtpCredential(oathType, finalIssuer, label.account(), hash(algorithm),
                        digits == DIGIT_COUNT_EIGHT ? EIGHT_DIGITS : SIX_DIGITS, Oath.DEFAULT_PERIOD,
                        oathType == OathType.HOTP ? counter : 0, SecretBytes.copyOf(secret)));
            } catch (InvalidNameException e) {
                skipped.add(new Skipped(shownName, e.getMessage()));
            }
        } finally {
            SecretBytes.wipe(secret);
        }
    }

    /** Why the token cannot take this account, or null if it can. */
    private static String refusal(byte[] secret, int algorithm, int digits, int type, long counter) {
        if (type != OTP_TYPE_HOTP && type != OTP_TYPE_TOTP) {
            return "unknown OTP type (" + type + ")";
        }
        if (algorithm == ALGORITHM_MD5) {
            return "unsupported algorithm MD5";
        }
        if (hash(algorithm) == null) {
            return "unknown algorithm (" + algorithm + ")";
        }
        if (digits != DIGIT_COUNT_UNSPECIFIED && digits != DIGIT_COUNT_SIX && digits != DIGIT_COUNT_EIGHT) {
            return "unknown digit count (" + digits + ")";
        }
        if (secret.length == 0) {
            return "empty secret";
        }
        if (type == OTP_TYPE_HOTP && (counter < 0 || counter > OtpCredential.MAX_COUNTER)) {
            return "counter " + counter + " does not fit the token's 32-bit counter";
        }
        return null;
    }

    private static HashAlgorithm hash(int algorithm) {
        switch (algorithm) {
            case ALGORITHM_UNSPECIFIED:
            case ALGORITHM_SHA1:
                return HashAlgorithm.SHA1;
            case ALGORITHM_SHA256:
                return HashAlgorithm.SHA256;
            case ALGORITHM_SHA512:
                return HashAlgorithm.SHA512;
            default:
                return null;
        }
    }

    private static int varint(int field) {
        return (field << TAG_TYPE_BITS) | WireFormat.WIRETYPE_VARINT;
    }

    private static int lengthDelimited(int field) {
        return (field << TAG_TYPE_BITS) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
}
