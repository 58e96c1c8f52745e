package dev.otptoken.host.imports.pskc;

import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.WrongExportPasswordException;
import dev.otptoken.protocol.oath.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.w3c.dom.Element;

/**
 * The encryption of a PSKC file (RFC 6030 §6.1 pre-shared key, §6.2 PBKDF2): the key, taken from
 * the {@link ExportPassword} source the first time an encrypted value is met (a pre-shared key is
 * typed as hex), the MAC key it decrypts, and for each encrypted value the MAC over IV and
 * ciphertext checked in constant time before the value is decrypted. Ciphers, HMAC and PBKDF2 are
 * the JDK's. {@link #close()} wipes both keys.
 */
final class PskcEncryption implements AutoCloseable {
    static final String XMLENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XMLDSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String XMLDSIG_MORE = "http://www.w3.org/2001/04/xmldsig-more#";
    static final String PBKDF2 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2";
    /** PBKDF2 iterations accepted: RFC 6030's figure has 1,000; this much takes about a second. */
    static final int MAX_ITERATIONS = 1_000_000;
    /** PBKDF2 salt bytes accepted. */
    static final int MAX_SALT = 1024;
    /** Ciphertext bytes accepted for one value: room for a key of any hash's block size, and then some. */
    static final int MAX_CIPHERTEXT = 4096;
    private static final int BLOCK = 16;
    private static final int HEX_RADIX = 16;

    private final Element encryptionKey;
    private final Element macMethod;
    private final ExportPassword password;
    private byte[] key;
    private byte[] macKey;
    private String macAlgorithm;

    /**
     * @param encryptionKey the container's {@code EncryptionKey}, or null
     * @param macMethod     the container's {@code MACMethod}, or null
     */
    PskcEncryption(Element encryptionKey, Element macMethod, ExportPassword password) {
        this.encryptionKey = encryptionKey;
        this.macMethod = macMethod;
        this.password = password;
    }

    /** AES-CBC key lengths by xmlenc algorithm URI; 0 for any other algorithm. */
    static int aesKeyLength(String algorithm) {
        if (algorithm == null) {
            return 0;
        }
        return switch (algorithm) {
            case XMLENC + "aes128-cbc" -> 16;
            case XMLENC + "aes192-cbc" -> 24;
            case XMLENC + "aes256-cbc" -> 32;
            default -> 0;
        };
    }

    /** The JCA name of an xmldsig HMAC URI, or null. */
    static String hmac(String algorithm) {
        if (algorithm == null) {
            return null;
        }
        return switch (algorithm) {
            case XMLDSIG + "hmac-sha1" -> "HmacSHA1";
            case XMLDSIG_MORE + "hmac-sha224" -> "HmacSHA224";
            case XMLDSIG_MORE + "hmac-sha256" -> "HmacSHA256";
            case XMLDSIG_MORE + "hmac-sha384" -> "HmacSHA384";
            case XMLDSIG_MORE + "hmac-sha512" -> "HmacSHA512";
            default -> null;
        };
    }

    /**
     * Checks the MAC ({@code ValueMAC}) of one {@code EncryptedValue} in constant time, decrypting
     * nothing but the MAC key; returns the IV and ciphertext.
     *
     * @param what names the value in messages (e.g. "the Secret of key 12345678")
     * @throws WrongExportPasswordException the key given does not open the file
     * @throws ImportException              no MAC, a MAC that differs, an unknown algorithm, a truncated ciphertext
     */
    byte[] verify(Element encryptedValue, Element valueMac, String what) throws ImportException {
        int keyLength = method(encryptedValue, what);
        byte[] ciphertext = cipherValue(encryptedValue, what);
        if (macMethod == null) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " is encrypted but the file has no MACMethod;"
                    + " AES-CBC without a MAC is refused (RFC 6030 section 6.1.1)");
        }
        if (valueMac == null) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " is encrypted but has no ValueMAC");
        }
        byte[] expected = PskcXml.base64(valueMac, "the ValueMAC of " + what);
        open(keyLength);
        byte[] computed = null;
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(macKey, macAlgorithm));
            computed = mac.doFinal(ciphertext);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ImportException(PskcReader.FORMAT + ": the MAC key cannot be used (" + macAlgorithm + ")");
        }
        boolean equal = MessageDigest.isEqual(computed, expected);
        SecretBytes.wipe(computed);
        if (!equal) {
            throw new ImportException(PskcReader.FORMAT + ": the MAC of " + what + " does not match: the file"
                    + " was altered or the key or password is wrong; nothing was decrypted");
        }
        return ciphertext;
    }

    /**
     * The plaintext of one {@code EncryptedValue}, after {@link #verify} of its MAC. The caller
     * wipes the result.
     */
    byte[] decrypt(Element encryptedValue, Element valueMac, String what) throws ImportException {
        byte[] ciphertext = verify(encryptedValue, valueMac, what);
        try {
            return aesCbc(key, ciphertext);
        } catch (BadPaddingException e) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " decrypts to bad padding although its MAC"
                    + " matches; the file is malformed");
        }
    }

    /** The key length the value's EncryptionMethod needs; refuses algorithms other than AES-CBC. */
    private static int method(Element encrypted, String what) throws ImportException {
        String algorithm = PskcXml.attribute(PskcXml.child(encrypted, "EncryptionMethod"), "Algorithm");
        int length = aesKeyLength(algorithm);
        if (length == 0) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " is encrypted with "
                    + (algorithm == null ? "no named algorithm" : PskcXml.echo(algorithm))
                    + "; only AES-128-CBC, AES-192-CBC and AES-256-CBC are read");
        }
        return length;
    }

    /** IV and ciphertext, checked for a whole number of blocks after the IV. */
    private static byte[] cipherValue(Element encrypted, String what) throws ImportException {
        Element value = PskcXml.path(encrypted, "CipherData", "CipherValue");
        if (value == null) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " has no CipherData/CipherValue");
        }
        byte[] c = PskcXml.base64(value, "the CipherValue of " + what);
        if (c.length < 2 * BLOCK || c.length % BLOCK != 0 || c.length > MAX_CIPHERTEXT) {
            throw new ImportException(PskcReader.FORMAT + ": the ciphertext of " + what + " is " + c.length
                    + " bytes, not an IV and whole AES blocks: truncated or malformed");
        }
        return c;
    }

    /** Gets the key (asking once) and decrypts the MAC key with it. */
    private void open(int keyLength) throws ImportException {
        if (key == null) {
            key = obtainKey(keyLength);
            decryptMacKey();
        }
        if (key.length != keyLength) {
            throw lengthMismatch("the file's cipher", keyLength);
        }
    }

    private byte[] obtainKey(int keyLength) throws ImportException {
        if (encryptionKey == null) {
            throw new ImportException(PskcReader.FORMAT + ": keys are encrypted but the file has no EncryptionKey");
        }
        Element derived = PskcXml.child(encryptionKey, "DerivedKey");
        if (derived != null) {
            return pbkdf2(derived, keyLength);
        }
        Element keyName = PskcXml.child(encryptionKey, "KeyName");
        if (keyName != null) {
            return preSharedKey(PskcXml.text(keyName));
        }
        throw new ImportException(PskcReader.FORMAT + ": the keys are encrypted to a certificate or key this program"
                + " does not hold; only a pre-shared key (KeyName) or a password (DerivedKey) is read");
    }

    /** RFC 6030 §6.1: the pre-shared key, typed as hex digits (spaces ignored). */
    private byte[] preSharedKey(String name) throws ImportException {
        char[] hex = password.password("PSKC pre-shared key " + quoted(name) + " (hex)");
        try {
            int digits = 0;
            for (char c : hex) {
                if (Character.digit(c, HEX_RADIX) >= 0 && c < 128) {
                    digits++;
                } else if (c != ' ' && c != ':') {
                    throw new WrongExportPasswordException(PskcReader.FORMAT
                            + ": the pre-shared key must be given as hex digits");
                }
            }
            if (digits == 0 || digits % 2 != 0) {
                throw new WrongExportPasswordException(PskcReader.FORMAT
                        + ": the pre-shared key must be an even number of hex digits");
            }
            byte[] k = new byte[digits / 2];
            int n = 0;
            int high = -1;
            for (char c : hex) {
                int d = c < 128 ? Character.digit(c, HEX_RADIX) : -1;
                if (d < 0) {
                    continue;
                }
                if (high < 0) {
                    high = d;
                } else {
                    k[n++] = (byte) (high * HEX_RADIX + d);
                    high = -1;
                }
            }
            return k;
        } finally {
            SecretBytes.wipe(hex);
        }
    }

    /** RFC 6030 §6.2: PBKDF2 (PKCS #5 v2.0) of the password, with the file's salt, count and length. */
    private byte[] pbkdf2(Element derived, int cipherKeyLength) throws ImportException {
        Element method = PskcXml.child(derived, "KeyDerivationMethod");
        String algorithm = PskcXml.attribute(method, "Algorithm");
        if (!PBKDF2.equals(algorithm)) {
            throw new ImportException(PskcReader.FORMAT + ": key derivation "
                    + (algorithm == null ? "without a named algorithm" : PskcXml.echo(algorithm))
                    + " is not read; only PBKDF2");
        }
        Element params = PskcXml.child(method, "PBKDF2-params");
        if (params == null) {
            throw new ImportException(PskcReader.FORMAT + ": PBKDF2 without PBKDF2-params");
        }
        Element salt = PskcXml.path(params, "Salt", "Specified");
        if (salt == null) {
            throw new ImportException(PskcReader.FORMAT + ": PBKDF2 without a specified salt");
        }
        byte[] saltBytes = PskcXml.base64(salt, "the PBKDF2 salt");
        if (saltBytes.length == 0 || saltBytes.length > MAX_SALT) {
            throw new ImportException(PskcReader.FORMAT + ": a PBKDF2 salt of " + saltBytes.length
                    + " bytes; 1 to " + MAX_SALT + " are accepted");
        }
        long iterations = number(PskcXml.child(params, "IterationCount"), "IterationCount");
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new ImportException(PskcReader.FORMAT + ": a PBKDF2 iteration count of " + iterations
                    + "; 1 to " + MAX_ITERATIONS + " are accepted");
        }
        Element lengthElement = PskcXml.child(params, "KeyLength");
        long length = lengthElement == null ? cipherKeyLength : number(lengthElement, "KeyLength");
        if (length != 16 && length != 24 && length != 32) {
            throw new ImportException(PskcReader.FORMAT + ": a PBKDF2 key length of " + length
                    + " bytes; AES takes 16, 24 or 32");
        }
        String prf = prf(PskcXml.attribute(PskcXml.child(params, "PRF"), "Algorithm"));
        char[] pass = password.password("PSKC password " + quoted(PskcXml.text(PskcXml.child(derived, "MasterKeyName"))));
        PBEKeySpec spec = new PBEKeySpec(pass, saltBytes, (int) iterations, (int) length * Byte.SIZE);
        try {
            return SecretKeyFactory.getInstance("PBKDF2With" + prf).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WrongExportPasswordException(PskcReader.FORMAT + ": no key can be derived from this password");
        } finally {
            spec.clearPassword();
            SecretBytes.wipe(pass);
        }
    }

    /** The PRF of PBKDF2-params (HMAC-SHA1 when none is named, as PKCS #5 says). */
    private static String prf(String algorithm) throws ImportException {
        if (algorithm == null) {
            return "HmacSHA1";
        }
        String jca = hmac(algorithm);
        if (jca == null) {
            throw new ImportException(PskcReader.FORMAT + ": PBKDF2 with the PRF " + PskcXml.echo(algorithm)
                    + " is not read");
        }
        return jca;
    }

    private static long number(Element e, String what) throws ImportException {
        String t = PskcXml.text(e);
        if (t == null || !t.matches("[0-9]{1,18}")) {
            throw new ImportException(PskcReader.FORMAT + ": " + what + " is not a whole number");
        }
        return Long.parseLong(t);
    }

    /** RFC 6030 §6.1.1: the MAC key, encrypted with the same key; bad padding means a wrong key. */
    private void decryptMacKey() throws ImportException {
        macAlgorithm = hmac(PskcXml.attribute(macMethod, "Algorithm"));
        if (macMethod == null) {
            return;
        }
        if (macAlgorithm == null) {
            throw new ImportException(PskcReader.FORMAT + ": the MAC algorithm "
                    + PskcXml.echo(PskcXml.attribute(macMethod, "Algorithm"))
                    + " is not read; only HMAC-SHA1, -SHA224, -SHA256, -SHA384 and -SHA512");
        }
        Element macKeyElement = PskcXml.child(macMethod, "MACKey");
        if (macKeyElement == null) {
            throw new ImportException(PskcReader.FORMAT + ": the MACMethod has no MACKey");
        }
        int length = method(macKeyElement, "the MAC key");
        if (length != key.length) {
            throw lengthMismatch("the MAC key's cipher", length);
        }
        byte[] c = cipherValue(macKeyElement, "the MAC key");
        try {
            macKey = aesCbc(key, c);
        } catch (BadPaddingException e) {
            throw new WrongExportPasswordException(PskcReader.FORMAT + ": wrong "
                    + (PskcXml.child(encryptionKey, "DerivedKey") != null ? "password" : "pre-shared key")
                    + " (the MAC key does not decrypt)");
        }
        if (macKey.length == 0) {
            throw new ImportException(PskcReader.FORMAT + ": the MAC key is empty");
        }
    }

    /** A key of the wrong length: a typed pre-shared key is the user's mistake, a derived one the file's. */
    private ImportException lengthMismatch(String cipher, int needed) throws ImportException {
        String message = PskcReader.FORMAT + ": the key is " + key.length + " bytes but " + cipher + " needs " + needed;
        return PskcXml.child(encryptionKey, "DerivedKey") == null ? new WrongExportPasswordException(message)
                : new ImportException(message);
    }

    /** AES-CBC with PKCS #7 padding; the first block of {@code ivAndCiphertext} is the IV (xmlenc). */
    private static byte[] aesCbc(byte[] key, byte[] ivAndCiphertext) throws BadPaddingException, ImportException {
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new IvParameterSpec(Arrays.copyOf(ivAndCiphertext, BLOCK)));
            return aes.doFinal(ivAndCiphertext, BLOCK, ivAndCiphertext.length - BLOCK);
        } catch (BadPaddingException e) {
            throw e;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ImportException(PskcReader.FORMAT + ": AES-CBC cannot be used with this key");
        }
    }

    private static String quoted(String name) {
        return name == null ? "" : "\"" + PskcXml.echo(name) + "\"";
    }

    @Override
    public void close() {
        SecretBytes.wipe(key);
        SecretBytes.wipe(macKey);
    }
}
