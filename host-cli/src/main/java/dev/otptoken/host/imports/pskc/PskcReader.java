package dev.otptoken.host.imports.pskc;

import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ExportSize;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.text.TerminalText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * PSKC, the Portable Symmetric Key Container of RFC 6030, as token vendors ship seed files
 * (docs/imports.md, "PSKC"): each {@code KeyPackage}'s HOTP or TOTP key with its digits, counter
 * or time interval, hash ({@code Suite}), issuer and name; keys in plain text (Base64) or
 * encrypted with AES-CBC under a pre-shared key or a PBKDF2 password, their MACs all checked
 * before any key is decrypted. Keys of other algorithms (OCRA, PIN, SecurID) and parameters the
 * token cannot follow are skipped with the reason.
 */
public final class PskcReader implements ExportReader {
    static final String FORMAT = "PSKC";
    static final String VERSION = "1.0";
    /** Keys per file: more than a vendor's batch for a thousand tokens. */
    static final int MAX_KEYS = 10_000;
    /** How much of a file {@link #recognises} looks at. */
    private static final int RECOGNISE_PREFIX = 8192;
    private static final String HOTP = "hotp";
    private static final String TOTP = "totp";
    private static final String[] DATA_VALUES = {"Secret", "Counter", "Time", "TimeInterval", "TimeDrift"};

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        String start = new String(content, 0, Math.min(content.length, RECOGNISE_PREFIX), StandardCharsets.ISO_8859_1);
        int lt = start.indexOf('<');
        return lt >= 0 && start.substring(0, lt).replace("\u00EF\u00BB\u00BF", "").isBlank()
                && start.contains("KeyContainer") && start.contains(PskcXml.NAMESPACE);
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        ExportSize.check(content, FORMAT);
        Document doc = PskcXml.parse(content);
        Element root = doc.getDocumentElement();
        if (!"KeyContainer".equals(root.getLocalName()) || !PskcXml.NAMESPACE.equals(root.getNamespaceURI())) {
            throw new ImportException(FORMAT + ": the document is no KeyContainer of namespace " + PskcXml.NAMESPACE);
        }
        String version = PskcXml.attribute(root, "Version");
        if (!VERSION.equals(version)) {
            throw new ImportException(FORMAT + ": version " + PskcXml.echo(version) + " is not read (only " + VERSION
                    + ", RFC 6030)");
        }
        List<Element> packages = PskcXml.children(root, "KeyPackage");
        if (packages.size() > MAX_KEYS) {
            throw new ImportException(FORMAT + ": " + packages.size() + " key packages; at most " + MAX_KEYS
                    + " are accepted");
        }
        List<OtpCredential> credentials = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        boolean done = false;
        try (PskcEncryption encryption = new PskcEncryption(PskcXml.child(root, "EncryptionKey"),
                PskcXml.child(root, "MACMethod"), password)) {
            checkEveryMac(packages, encryption);
            int n = 0;
            for (Element kp : packages) {
                n++;
                key(kp, n, encryption, credentials, skipped);
            }
            done = true;
        } finally {
            if (!done) {
                credentials.forEach(OtpCredential::destroy);
            }
        }
        return new Imported(FORMAT, credentials, skipped);
    }

    /**
     * Checks the MAC of every encrypted value of the file before any is decrypted, so that an
     * altered file is refused as a whole and no key of it is ever decrypted.
     */
    private static void checkEveryMac(List<Element> packages, PskcEncryption encryption) throws ImportException {
        int n = 0;
        for (Element kp : packages) {
            n++;
            for (Element key : PskcXml.children(kp, "Key")) {
                Element data = PskcXml.child(key, "Data");
                for (String name : DATA_VALUES) {
                    Element value = PskcXml.child(data, name);
                    Element encrypted = PskcXml.child(value, "EncryptedValue");
                    if (encrypted != null) {
                        encryption.verify(encrypted, PskcXml.child(value, "ValueMAC"),
                                "the " + name + " of " + keyLabel(key, n));
                    }
                }
            }
        }
    }

    private static String keyLabel(Element key, int n) {
        String id = PskcXml.attribute(key, "Id");
        return id == null ? "key package " + n : "key " + PskcXml.echo(id);
    }

    /** One KeyPackage: a credential, or a skip with the reason. */
    private static void key(Element kp, int n, PskcEncryption encryption, List<OtpCredential> credentials,
                            List<Skipped> skipped) throws ImportException {
        Element key = PskcXml.child(kp, "Key");
        if (key == null) {
            skipped.add(new Skipped("key package " + n, "it holds no Key"));
            return;
        }
        String label = keyLabel(key, n);
        String issuer = PskcXml.text(PskcXml.child(key, "Issuer"));
        String account = account(kp, key, issuer);
        String name = display(issuer, account == null ? label : account);
        Parameters p = parameters(key, label);
        if (p.refusal != null) {
            skipped.add(new Skipped(name, p.refusal));
            return;
        }
        if (account == null) {
            skipped.add(new Skipped(name, "no FriendlyName, UserId, SerialNo or Id to name the account by"));
            return;
        }
        Element secret = PskcXml.child(PskcXml.child(key, "Data"), "Secret");
        byte[] bytes = secret(secret, label, encryption);
        if (bytes == null || bytes.length == 0) {
            SecretBytes.wipe(bytes);
            skipped.add(new Skipped(name, "no secret"));
            return;
        }
        try {
            credentials.add(new OtpCredential(p.type, issuer, account, p.hash, p.digits, p.period, p.counter,
                    SecretBytes.wrap(bytes)));
        } catch (InvalidNameException | IllegalArgumentException e) {
            SecretBytes.wipe(bytes);
            skipped.add(new Skipped(name, e.getMessage()));
        }
    }

    /**
     * The account part of the name: {@code FriendlyName} (without the issuer when it begins with
     * {@code issuer:}), else the key's or the device's {@code UserId}, else the device's
     * {@code SerialNo}, else the key's {@code Id}; null when there is none.
     */
    static String account(Element kp, Element key, String issuer) throws ImportException {
        String friendly = PskcXml.text(PskcXml.child(key, "FriendlyName"));
        if (friendly != null) {
            if (issuer != null && friendly.startsWith(issuer + ":") && friendly.length() > issuer.length() + 1) {
                return friendly.substring(issuer.length() + 1).strip();
            }
            return friendly;
        }
        for (String candidate : new String[] {
            PskcXml.text(PskcXml.child(key, "UserId")),
            PskcXml.text(PskcXml.path(kp, "DeviceInfo", "UserId")),
            PskcXml.text(PskcXml.path(kp, "DeviceInfo", "SerialNo")),
            PskcXml.attribute(key, "Id")}) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    private static String display(String issuer, String account) {
        return TerminalText.escape(issuer == null ? account : issuer + ":" + account);
    }

    /** What a key's algorithm, parameters and data say, or why the token cannot hold it. */
    private record Parameters(OathType type, HashAlgorithm hash, int digits, int period, long counter,
                              String refusal) {
        static Parameters refused(String why) {
            return new Parameters(null, null, 0, 0, 0, why);
        }
    }

    private static Parameters parameters(Element key, String label) throws ImportException {
        String algorithm = PskcXml.attribute(key, "Algorithm");
        OathType type = type(algorithm);
        if (type == null) {
            return Parameters.refused("algorithm " + PskcXml.echo(algorithm) + " is neither HOTP nor TOTP");
        }
        Element params = PskcXml.child(key, "AlgorithmParameters");
        HashAlgorithm hash = hash(PskcXml.text(PskcXml.child(params, "Suite")));
        if (hash == null) {
            return Parameters.refused("hash " + PskcXml.echo(PskcXml.text(PskcXml.child(params, "Suite")))
                    + " not supported by the token (only SHA1, SHA256, SHA512)");
        }
        Element format = PskcXml.child(params, "ResponseFormat");
        String encoding = PskcXml.attribute(format, "Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("DECIMAL")) {
            return Parameters.refused("response encoding " + PskcXml.echo(encoding)
                    + " not supported by the token (decimal codes only)");
        }
        String checkDigits = PskcXml.attribute(format, "CheckDigits");
        if ("true".equalsIgnoreCase(checkDigits) || "1".equals(checkDigits)) {
            return Parameters.refused("codes with a Luhn check digit are not supported by the token");
        }
        String length = PskcXml.attribute(format, "Length");
        long digits = length == null ? Oath.MIN_DIGITS : number(length);
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            return Parameters.refused("digits must be 6, 7 or 8 (got " + PskcXml.echo(length) + ")");
        }
        Element data = PskcXml.child(key, "Data");
        long period = Oath.DEFAULT_PERIOD;
        long counter = 0;
        if (type == OathType.TOTP) {
            Long interval = plainNumber(PskcXml.child(data, "TimeInterval"));
            Long t0 = plainNumber(PskcXml.child(data, "Time"));
            if (interval == null || t0 == null) {
                return Parameters.refused("TimeInterval and Time must be plain whole numbers");
            }
            period = interval < 0 ? Oath.DEFAULT_PERIOD : interval;
            if (period < 1 || period > Oath.MAX_PERIOD) {
                return Parameters.refused("period must be between 1 and " + Oath.MAX_PERIOD + " seconds (got "
                        + period + ")");
            }
            if (t0 > 0) {
                return Parameters.refused("time origin (Time) " + t0 + " is not 0: the token counts from 1970");
            }
        } else {
            Long c = plainNumber(PskcXml.child(data, "Counter"));
            if (c == null) {
                return Parameters.refused("Counter must be a plain whole number");
            }
            counter = c < 0 ? 0 : c;
            if (counter > OtpCredential.MAX_COUNTER) {
                return Parameters.refused("counter must be between 0 and " + OtpCredential.MAX_COUNTER + " (got "
                        + counter + ")");
            }
        }
        return new Parameters(type, hash, (int) digits, (int) period, counter, null);
    }

    /** HOTP or TOTP by the algorithm URI (RFC 6030's {@code :hotp}, the profiles draft's {@code #totp}); else null. */
    static OathType type(String algorithm) {
        if (algorithm == null) {
            return null;
        }
        String a = algorithm.toLowerCase(Locale.ROOT);
        String base = PskcXml.NAMESPACE;
        if (a.equals(base + ":" + HOTP) || a.equals(base + "#" + HOTP)) {
            return OathType.HOTP;
        }
        if (a.equals(base + ":" + TOTP) || a.equals(base + "#" + TOTP)) {
            return OathType.TOTP;
        }
        return null;
    }

    /** The hash of a {@code Suite} ("HMAC-SHA256", "SHA-256", "sha256"); SHA-1 when there is none; null if unknown. */
    static HashAlgorithm hash(String suite) {
        if (suite == null) {
            return HashAlgorithm.SHA1;
        }
        String s = suite.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("HMAC-")) {
            s = s.substring("HMAC-".length());
        }
        s = s.replace("-", "");
        for (HashAlgorithm h : HashAlgorithm.values()) {
            if (h.name().equals(s)) {
                return h;
            }
        }
        return null;
    }

    /** A {@code Counter}, {@code Time} or {@code TimeInterval}: -1 when absent, null when not a plain number. */
    private static Long plainNumber(Element value) throws ImportException {
        if (value == null) {
            return -1L;
        }
        Element plain = PskcXml.child(value, "PlainValue");
        if (plain == null) {
            return null;
        }
        long n = number(PskcXml.text(plain));
        return n < 0 ? null : n;
    }

    /** ASCII digits, at most 18 of them; -1 for anything else. */
    private static long number(String text) {
        if (text == null || !text.matches("[0-9]{1,18}")) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /** The key bytes: Base64 PlainValue, or an EncryptedValue whose MAC has been checked. */
    private static byte[] secret(Element secret, String label, PskcEncryption encryption) throws ImportException {
        if (secret == null) {
            return null;
        }
        Element plain = PskcXml.child(secret, "PlainValue");
        Element encrypted = PskcXml.child(secret, "EncryptedValue");
        if (plain != null && encrypted != null) {
            throw new ImportException(FORMAT + ": the Secret of " + label + " is both plain and encrypted");
        }
        if (plain != null) {
            return PskcXml.base64(plain, "the Secret of " + label);
        }
        if (encrypted != null) {
            return encryption.decrypt(encrypted, PskcXml.child(secret, "ValueMAC"), "the Secret of " + label);
        }
        return null;
    }
}
