package dev.otptoken.host.otpauth;

import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.text.TerminalText;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * One account ready to be written into a token: its name, parameters and key. Not a record
 * because it owns a {@link SecretBytes}; {@link #toString()} shows everything but the key.
 */
public final class OtpCredential implements Destroyable {
    /** The token keeps the HOTP counter as a 32-bit unsigned moving factor (YKOATH IMF). */
    public static final long MAX_COUNTER = 0xFFFF_FFFFL;
    /** HOTP counters start here when the URI gives none (as in ykman). */
    public static final long DEFAULT_COUNTER = 0;

    private final OathType type;
    private final AccountName name;
    private final HashAlgorithm algorithm;
    private final int digits;
    private final long counter;
    private final SecretBytes secret;

    /**
     * @param period TOTP period in seconds, ignored for HOTP
     * @param counter HOTP initial counter, must be 0 for TOTP
     * @param secret taken over: this credential destroys it in {@link #destroy()}
     * @throws InvalidNameException if the name does not fit the token
     * @throws IllegalArgumentException if digits, period or counter are out of range
     *     (parsers check these first and report them as bad input)
     */
    public OtpCredential(OathType type, String issuer, String account, HashAlgorithm algorithm,
            int digits, int period, long counter, SecretBytes secret) throws InvalidNameException {
        this.type = Objects.requireNonNull(type, "type");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.secret = Objects.requireNonNull(secret, "secret");
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            throw new IllegalArgumentException("digits out of range: " + digits);
        }
        if (type == OathType.TOTP && (period < 1 || period > Oath.MAX_PERIOD)) {
            throw new IllegalArgumentException("period out of range: " + period);
        }
        if (counter < 0 || counter > MAX_COUNTER || (type == OathType.TOTP && counter != 0)) {
            throw new IllegalArgumentException("counter out of range: " + counter);
        }
        refuseTerminalControls("issuer", issuer);
        refuseTerminalControls("account name", account);
        this.digits = digits;
        this.counter = counter;
        this.name = AccountName.of(type, period, issuer, account);
    }

    /**
     * Names with characters a terminal acts on (escape sequences, CR, LF, NUL, bidirectional
     * overrides) are refused at provisioning: they would reach every program that ever shows
     * the token's names, and none has a use in a name (docs/qr-otpauth.md, "Names").
     */
    private static void refuseTerminalControls(String what, String text) throws InvalidNameException {
        if (text == null) {
            return;
        }
        java.util.Optional<String> bad = TerminalText.firstActing(text);
        if (bad.isPresent()) {
            throw new InvalidNameException(what + " " + TerminalText.escape(text) + " contains the control character "
                    + bad.get());
        }
    }

    public OathType type() {
        return type;
    }

    /** The name as the token stores it. */
    public AccountName name() {
        return name;
    }

    /** The issuer, or {@code null}. */
    public String issuer() {
        return name.issuer();
    }

    public String account() {
        return name.account();
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    /** The TOTP period in seconds; 0 for HOTP. */
    public int period() {
        return name.period();
    }

    /** The HOTP initial counter; 0 for TOTP. */
    public long counter() {
        return counter;
    }

    /** The key itself, owned by this credential. */
    public SecretBytes secret() {
        return secret;
    }

    @Override
    public void destroy() {
        secret.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return secret.isDestroyed();
    }

    @Override
    public String toString() {
        String kind = type == OathType.TOTP ? "period=" + name.period() : "counter=" + counter;
        String key = secret.isDestroyed() ? "secret destroyed" : "secret redacted, " + secret.length() + " bytes";
        return String.format(Locale.ROOT, "OtpCredential[%s %s, %s, digits=%d, %s, %s]",
                type, name.display(), algorithm, digits, kind, key);
    }
}
