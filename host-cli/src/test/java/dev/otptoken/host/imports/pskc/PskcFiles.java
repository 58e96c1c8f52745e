package dev.otptoken.host.imports.pskc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds PSKC files the way RFC 6030 describes them (section 6.1: AES-CBC with the IV before the
 * ciphertext, PKCS #7 padding, HMAC over IV and ciphertext, the MAC key encrypted with the same
 * key; section 6.2: the key from PBKDF2), with the JDK's ciphers: the test side of the reader.
 * Also holds RFC 6030's own figures 2, 6 and 7, verbatim but for indentation.
 */
public final class PskcFiles {
    static final String NS = "urn:ietf:params:xml:ns:keyprov:pskc";
    static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    static final String TOTP = "urn:ietf:params:xml:ns:keyprov:pskc:totp";
    static final String HMAC_SHA1 = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
    static final String HMAC_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256";

    /** RFC 6030 Figure 2 (plain key, HOTP, 8 digits); the secret is "12345678901234567890". */
    static final String FIGURE_2 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <KeyContainer Version="1.0"
                Id="exampleID1"
                xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
                <KeyPackage>
                    <Key Id="12345678"
                        Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
                        <Issuer>Issuer-A</Issuer>
                        <Data>
                            <Secret>
                                <PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=
                                </PlainValue>
                            </Secret>
                        </Data>
                    </Key>
                </KeyPackage>
            </KeyContainer>
            """;

    /** RFC 6030 Figure 6: pre-shared key 12345678901234567890123456789012 (hex), HMAC-SHA1. */
    static final String FIGURE_6 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <KeyContainer Version="1.0"
                xmlns="urn:ietf:params:xml:ns:keyprov:pskc"
                xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
                xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">
                <EncryptionKey>
                    <ds:KeyName>Pre-shared-key</ds:KeyName>
                </EncryptionKey>
                <MACMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1">
                    <MACKey>
                        <xenc:EncryptionMethod
                        Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
                        <xenc:CipherData>
                            <xenc:CipherValue>
                ESIzRFVmd4iZABEiM0RVZgKn6WjLaTC1sbeBMSvIhRejN9vJa2BOlSaMrR7I5wSX
                            </xenc:CipherValue>
                        </xenc:CipherData>
                    </MACKey>
                </MACMethod>
                <KeyPackage>
                    <DeviceInfo>
                        <Manufacturer>Manufacturer</Manufacturer>
                        <SerialNo>987654321</SerialNo>
                    </DeviceInfo>
                    <CryptoModuleInfo>
                        <Id>CM_ID_001</Id>
                    </CryptoModuleInfo>
                    <Key Id="12345678"
                        Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
                        <Issuer>Issuer</Issuer>
                        <AlgorithmParameters>
                            <ResponseFormat Length="8" Encoding="DECIMAL"/>
                        </AlgorithmParameters>
                        <Data>
                            <Secret>
                                <EncryptedValue>
                                    <xenc:EncryptionMethod
                                    Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
                                    <xenc:CipherData>
                                        <xenc:CipherValue>
                AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv
                                        </xenc:CipherValue>
                                    </xenc:CipherData>
                                </EncryptedValue>
                                <ValueMAC>Su+NvtQfmvfJzF6bmQiJqoLRExc=
                                </ValueMAC>
                            </Secret>
                            <Counter>
                                <PlainValue>0</PlainValue>
                            </Counter>
                        </Data>
                    </Key>
                </KeyPackage>
            </KeyContainer>
            """;

    static final String FIGURE_6_PSK = "12345678901234567890123456789012";

    /** RFC 6030 Figure 7: PBKDF2 of the password "qwerty", salt Ej7/PEpyEpw=, 1,000 iterations. */
    static final String FIGURE_7 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <pskc:KeyContainer
              xmlns:pskc="urn:ietf:params:xml:ns:keyprov:pskc"
              xmlns:xenc11="http://www.w3.org/2009/xmlenc11#"
              xmlns:pkcs5="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#"
              xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Version="1.0">
                <pskc:EncryptionKey>
                    <xenc11:DerivedKey>
                        <xenc11:KeyDerivationMethod
                          Algorithm="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2">
                            <pkcs5:PBKDF2-params>
                                <Salt>
                                    <Specified>Ej7/PEpyEpw=</Specified>
                                </Salt>
                                <IterationCount>1000</IterationCount>
                                <KeyLength>16</KeyLength>
                                <PRF/>
                            </pkcs5:PBKDF2-params>
                        </xenc11:KeyDerivationMethod>
                        <xenc:ReferenceList>
                            <xenc:DataReference URI="#ED"/>
                        </xenc:ReferenceList>
                        <xenc11:MasterKeyName>My Password 1</xenc11:MasterKeyName>
                    </xenc11:DerivedKey>
                </pskc:EncryptionKey>
                <pskc:MACMethod
                    Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1">
                    <pskc:MACKey>
                        <xenc:EncryptionMethod
                        Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
                        <xenc:CipherData>
                            <xenc:CipherValue>
            2GTTnLwM3I4e5IO5FkufoOEiOhNj91fhKRQBtBJYluUDsPOLTfUvoU2dStyOwYZx
                            </xenc:CipherValue>
                        </xenc:CipherData>
                    </pskc:MACKey>
                </pskc:MACMethod>
                <pskc:KeyPackage>
                    <pskc:DeviceInfo>
                        <pskc:Manufacturer>TokenVendorAcme</pskc:Manufacturer>
                        <pskc:SerialNo>987654321</pskc:SerialNo>
                    </pskc:DeviceInfo>
                    <pskc:CryptoModuleInfo>
                        <pskc:Id>CM_ID_001</pskc:Id>
                    </pskc:CryptoModuleInfo>
                    <pskc:Key Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp" Id="123456">
                        <pskc:Issuer>Example-Issuer</pskc:Issuer>
                        <pskc:AlgorithmParameters>
                            <pskc:ResponseFormat Length="8" Encoding="DECIMAL"/>
                        </pskc:AlgorithmParameters>
                        <pskc:Data>
                            <pskc:Secret>
                            <pskc:EncryptedValue Id="ED">
                                <xenc:EncryptionMethod
                                    Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
                                    <xenc:CipherData>
                                        <xenc:CipherValue>
                  oTvo+S22nsmS2Z/RtcoF8Hfh+jzMe0RkiafpoDpnoZTjPYZu6V+A4aEn032yCr4f
                                    </xenc:CipherValue>
                                </xenc:CipherData>
                                </pskc:EncryptedValue>
                                <pskc:ValueMAC>LP6xMvjtypbfT9PdkJhBZ+D6O4w=
                                </pskc:ValueMAC>
                            </pskc:Secret>
                        </pskc:Data>
                    </pskc:Key>
                </pskc:KeyPackage>
            </pskc:KeyContainer>
            """;

    /** One key of a file being built. */
    record Key(String id, String algorithm, String issuer, String friendlyName, String userId, String suite,
               int digits, Integer period, Long counter, byte[] secret) {
    }

    /** How the keys are protected: none, a pre-shared key, or PBKDF2 of a password. */
    record Protection(byte[] key, String macAlgorithm, byte[] macKey, String pbkdf2Salt, int iterations,
                      String prf) {
        static Protection plain() {
            return null;
        }

        static Protection psk(byte[] key, String macAlgorithm, byte[] macKey) {
            return new Protection(key, macAlgorithm, macKey, null, 0, null);
        }

        /** PBKDF2 with HMAC-SHA1 (prf null) or the named PRF; derives the 16-byte key. */
        static Protection pbkdf2(char[] password, byte[] salt, int iterations, String prf, String macAlgorithm,
                                 byte[] macKey) throws GeneralSecurityException {
            String jca = prf == null ? "HmacSHA1" : prf.endsWith("sha256") ? "HmacSHA256" : "HmacSHA512";
            byte[] key = SecretKeyFactory.getInstance("PBKDF2With" + jca)
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 128)).getEncoded();
            return new Protection(key, macAlgorithm, macKey, Base64.getEncoder().encodeToString(salt), iterations,
                    prf);
        }
    }

    private PskcFiles() {
    }

    /**
     * A PSKC file of the import fixtures' accounts (ImportIT): plain keys, or with {@code password}
     * the keys under PBKDF2-HMAC-SHA256 (10,000 iterations) and HMAC-SHA256 MACs. A Steam account
     * is a TOTP key of issuer Steam (6 digits: the token needs 6 to 8), MD5 the Suite HMAC-MD5.
     */
    public static byte[] ofAccounts(List<dev.otptoken.host.imports.ExportFixtures.Account> accounts, String password)
            throws GeneralSecurityException {
        List<Key> keys = new ArrayList<>();
        int n = 0;
        for (var a : accounts) {
            boolean hotp = a.kind() == dev.otptoken.host.imports.ExportFixtures.Kind.HOTP;
            boolean steam = a.kind() == dev.otptoken.host.imports.ExportFixtures.Kind.STEAM;
            keys.add(new Key("k" + n++, hotp ? HOTP : TOTP, a.issuer(), a.account(), null, "HMAC-" + a.algorithm(),
                    steam ? 6 : a.digits(), hotp ? null : a.period(), hotp ? a.counter() : null,
                    HexFormat.of().parseHex(a.hexKey())));
        }
        Protection protection = password == null ? Protection.plain()
                : Protection.pbkdf2(password.toCharArray(), utf8("otptoken-salt-16"), 10_000,
                        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", HMAC_SHA256,
                        utf8("a MAC key of 32 bytes, for tests"));
        return utf8(build(protection, keys));
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** AES-CBC of {@code plain} under {@code key} with {@code iv}, PKCS #7 padded, IV first. */
    static byte[] encrypt(byte[] key, byte[] iv, byte[] plain) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] c = aes.doFinal(plain);
        byte[] out = new byte[iv.length + c.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(c, 0, out, iv.length, c.length);
        return out;
    }

    static byte[] mac(String algorithm, byte[] key, byte[] data) throws GeneralSecurityException {
        String jca = algorithm.endsWith("sha1") ? "HmacSHA1" : "HmacSHA256";
        Mac m = Mac.getInstance(jca);
        m.init(new SecretKeySpec(key, jca));
        return m.doFinal(data);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A KeyContainer of {@code keys}; {@code protection} null for plain keys. */
    static String build(Protection protection, List<Key> keys) throws GeneralSecurityException {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<KeyContainer Version=\"1.0\" xmlns=\"").append(NS).append("\"")
                .append(" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"")
                .append(" xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"")
                .append(" xmlns:xenc11=\"http://www.w3.org/2009/xmlenc11#\"")
                .append(" xmlns:pkcs5=\"http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#\">\n");
        int ivSeed = 1;
        if (protection != null) {
            x.append(" <EncryptionKey>\n");
            if (protection.pbkdf2Salt() == null) {
                x.append("  <ds:KeyName>Pre-shared-key</ds:KeyName>\n");
            } else {
                x.append("  <xenc11:DerivedKey><xenc11:KeyDerivationMethod Algorithm=\"")
                        .append("http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2\">")
                        .append("<pkcs5:PBKDF2-params><Salt><Specified>").append(protection.pbkdf2Salt())
                        .append("</Specified></Salt><IterationCount>").append(protection.iterations())
                        .append("</IterationCount><KeyLength>16</KeyLength>")
                        .append(protection.prf() == null ? "<PRF/>" : "<PRF Algorithm=\"" + protection.prf() + "\"/>")
                        .append("</pkcs5:PBKDF2-params></xenc11:KeyDerivationMethod>")
                        .append("<xenc11:MasterKeyName>Test password</xenc11:MasterKeyName></xenc11:DerivedKey>\n");
            }
            x.append(" </EncryptionKey>\n");
            x.append(" <MACMethod Algorithm=\"").append(protection.macAlgorithm()).append("\"><MACKey>")
                    .append(encrypted(protection.key(), iv(ivSeed++), protection.macKey()))
                    .append("</MACKey></MACMethod>\n");
        }
        for (Key k : keys) {
            x.append(" <KeyPackage>\n  <DeviceInfo><Manufacturer>otptoken tests</Manufacturer>")
                    .append("<SerialNo>").append(esc(k.id())).append("</SerialNo></DeviceInfo>\n");
            x.append("  <Key Id=\"").append(esc(k.id())).append("\" Algorithm=\"").append(k.algorithm()).append("\">\n");
            if (k.issuer() != null) {
                x.append("   <Issuer>").append(esc(k.issuer())).append("</Issuer>\n");
            }
            x.append("   <AlgorithmParameters>");
            if (k.suite() != null) {
                x.append("<Suite>").append(k.suite()).append("</Suite>");
            }
            x.append("<ResponseFormat Length=\"").append(k.digits()).append("\" Encoding=\"DECIMAL\"/>")
                    .append("</AlgorithmParameters>\n");
            if (k.friendlyName() != null) {
                x.append("   <FriendlyName>").append(esc(k.friendlyName())).append("</FriendlyName>\n");
            }
            x.append("   <Data>\n    <Secret>");
            if (protection == null) {
                x.append("<PlainValue>").append(b64(k.secret())).append("</PlainValue>");
            } else {
                byte[] c = encrypt(protection.key(), iv(ivSeed++), k.secret());
                x.append("<EncryptedValue><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/>")
                        .append("<xenc:CipherData><xenc:CipherValue>").append(b64(c))
                        .append("</xenc:CipherValue></xenc:CipherData></EncryptedValue>")
                        .append("<ValueMAC>").append(b64(mac(protection.macAlgorithm(), protection.macKey(), c)))
                        .append("</ValueMAC>");
            }
            x.append("</Secret>\n");
            if (k.counter() != null) {
                x.append("    <Counter><PlainValue>").append(k.counter()).append("</PlainValue></Counter>\n");
            }
            if (k.period() != null) {
                x.append("    <Time><PlainValue>0</PlainValue></Time>\n");
                x.append("    <TimeInterval><PlainValue>").append(k.period()).append("</PlainValue></TimeInterval>\n");
            }
            x.append("   </Data>\n");
            if (k.userId() != null) {
                x.append("   <UserId>").append(esc(k.userId())).append("</UserId>\n");
            }
            x.append("  </Key>\n </KeyPackage>\n");
        }
        x.append("</KeyContainer>\n");
        return x.toString();
    }

    private static String encrypted(byte[] key, byte[] iv, byte[] plain) throws GeneralSecurityException {
        return "<xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/>"
                + "<xenc:CipherData><xenc:CipherValue>" + b64(encrypt(key, iv, plain))
                + "</xenc:CipherValue></xenc:CipherData>";
    }

    /** A fixed IV per value, so that files are the same from run to run. */
    private static byte[] iv(int seed) {
        byte[] iv = new byte[16];
        for (int i = 0; i < iv.length; i++) {
            iv[i] = (byte) (seed * 31 + i);
        }
        return iv;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Key> list(Key... keys) {
        return new ArrayList<>(List.of(keys));
    }
}
