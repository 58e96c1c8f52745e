package dev.otptoken.system;

import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A test account: what the model knows of it, including its secret, so that every code the
 * host prints can be recomputed here independently of the token (protocol's Hotp/Totp).
 * Test secrets are random and worthless; they are kept in a {@link SecretBytes} all the same.
 */
final class Credential {
    static final String ISSUER = "Svc";
    private static final int MIN_SECRET = 10;
    private static final int MAX_SECRET = 32;
    private static final int MAX_INITIAL_COUNTER = 100_000;
    private static final int[] DIGITS = {6, 7, 8};
    private static final int[] PERIODS = {30, 30, 30, 60};

    final OathType type;
    final HashAlgorithm algorithm;
    final int digits;
    final int period;
    final long initialCounter;
    private final SecretBytes secret;

    private Credential(OathType type, HashAlgorithm algorithm, int digits, int period, long initialCounter,
                       byte[] secret) {
        this.type = type;
        this.algorithm = algorithm;
        this.digits = digits;
        this.period = period;
        this.initialCounter = initialCounter;
        this.secret = SecretBytes.wrap(secret);
    }

    static Credential random(SplittableRandom random, OathType type) {
        byte[] key = new byte[MIN_SECRET + random.nextInt(MAX_SECRET - MIN_SECRET + 1)];
        random.nextBytes(key);
        HashAlgorithm[] algs = HashAlgorithm.values();
        return new Credential(type, algs[random.nextInt(algs.length)], DIGITS[random.nextInt(DIGITS.length)],
                type == OathType.TOTP ? PERIODS[random.nextInt(PERIODS.length)] : 0,
                type == OathType.HOTP ? random.nextInt(MAX_INITIAL_COUNTER) : 0, key);
    }

    /** The otpauth URI for {@code provision --uri} (a secret itself: only ever passed in-process). */
    String uri(String account) {
        String secretText = secret.<String, RuntimeException>use(k -> Base32.encode(k)).replace("=", "");
        StringBuilder sb = new StringBuilder("otpauth://").append(type.name().toLowerCase(Locale.ROOT)).append('/')
                .append(ISSUER).append(':').append(account).append("?secret=")
                .append(secretText).append("&issuer=").append(ISSUER)
                .append("&algorithm=").append(algorithm.name()).append("&digits=").append(digits);
        if (type == OathType.TOTP) {
            sb.append("&period=").append(period);
        } else {
            sb.append("&counter=").append(initialCounter);
        }
        return sb.toString();
    }

    String hotp(long counter) {
        return secret.<String, RuntimeException>use(k -> Hotp.code(algorithm, k, counter, digits));
    }

    String totp(long step) {
        return secret.<String, RuntimeException>use(k -> Totp.code(algorithm, k, Totp.stepStart(step, period), period, digits));
    }

    /** The list line's columns after the name: TYPE ALGORITHM DIGITS PERIOD. */
    String listColumns() {
        return type.name() + " " + algorithm.name() + " " + digits + " "
                + (type == OathType.TOTP ? Integer.toString(period) : "-");
    }

    /** Steps the host may have used for a code computed between {@code before} and {@code after}. */
    long firstStep(Instant before) {
        return Totp.timeStep(before, period);
    }

    long lastStep(Instant after) {
        return Totp.timeStep(after, period);
    }
}
