package dev.otptoken.host.session;

import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SteamCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An account as the token lists it. LIST carries only the name and type/algorithm byte;
 * digits and touch come from CALCULATE ALL, which names them for TOTP accounts only (an
 * HOTP entry {@code 77} gives digits but not touch), hence the optionals.
 *
 * @param id the stored name bytes, used to address the account in later commands
 */
public record Account(byte[] id, AccountName name, OathType type, HashAlgorithm algorithm,
                      OptionalInt digits, Optional<Boolean> touch) {
    public Account {
        id = id.clone();
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(algorithm);
        Objects.requireNonNull(digits);
        Objects.requireNonNull(touch);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    /** The name a user types and sees: {@code issuer:account}, or the account alone. */
    public String displayName() {
        return displayName(name);
    }

    /** {@code issuer:account}, or the account alone, without the period prefix. */
    public static String displayName(AccountName name) {
        return name.display();
    }

    /**
     * The account called {@code name} exactly: as {@code list} shows it (issuer:account), else
     * as the token stores it (with a period prefix); null when there is none.
     */
    public static Account find(List<Account> accounts, String name) {
        for (Account a : accounts) {
            if (a.displayName().equals(name)) {
                return a;
            }
        }
        for (Account a : accounts) {
            if (new String(a.id, StandardCharsets.UTF_8).equals(name)) {
                return a;
            }
        }
        return null;
    }

    /**
     * Whether this is a Steam account: TOTP with the issuer exactly Steam ({@link SteamCode},
     * ykman's {@code is_steam}); its code is five Steam characters from the full HMAC.
     */
    public boolean isSteam() {
        return SteamCode.isSteam(type, name.issuer());
    }

    /** The TOTP period in seconds (0 for HOTP). */
    public int period() {
        return type == OathType.TOTP ? name.period() : 0;
    }

    Account withDetails(OptionalInt newDigits, Optional<Boolean> newTouch) {
        return new Account(id, name, type, algorithm, newDigits, newTouch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Account a && Arrays.equals(id, a.id) && name.equals(a.name) && type == a.type
                && algorithm == a.algorithm && digits.equals(a.digits) && touch.equals(a.touch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(id), name, type, algorithm, digits, touch);
    }

    @Override
    public String toString() {
        return "Account[" + new String(id, StandardCharsets.UTF_8) + ", " + type + ", " + algorithm
                + ", digits=" + digits + ", touch=" + touch + "]";
    }
}
