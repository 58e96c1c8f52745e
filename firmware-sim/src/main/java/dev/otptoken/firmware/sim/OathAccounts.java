package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.device.CapacityReport;
import dev.otptoken.firmware.oath.AccountDisplay;
import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.ui.AccountCodes;
import dev.otptoken.firmware.ui.AccountSummary;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.SteamCode;

/** The OATH applet as the button and GET INFO see it. Callers hold the chip lock. */
final class OathAccounts implements AccountCodes, CapacityReport {
    private final OathApplet oath;

    OathAccounts(OathApplet oath) {
        this.oath = oath;
    }

    @Override
    public int accountCount() {
        return oath.accountsUsed();
    }

    @Override
    public AccountSummary account(int index) {
        AccountDisplay d = oath.display();
        return new AccountSummary(d.accountType(index), d.accountDigits(index), d.accountPeriod(index),
                d.accountRequiresTouch(index));
    }

    /** The {@code index}-th account's name, {@code issuer:account} (unescaped). */
    String accountName(int index) {
        return oath.display().accountName(index);
    }

    /** The code as the display shows it: its digits, or a Steam account's five characters (docs/imports.md, "Steam"). */
    @Override
    public String totpCode(int index, long timeStep) {
        AccountDisplay d = oath.display();
        int truncated = d.totpTruncated(index, timeStep);
        if (d.accountIsSteam(index)) {
            return SteamCode.format(truncated);
        }
        int digits = d.accountDigits(index);
        return OtpFormat.format(OtpFormat.reduce(truncated, digits), digits);
    }

    @Override
    public String nextHotpCode(int index) {
        return OtpFormat.format(oath.display().nextHotp(index), oath.display().accountDigits(index));
    }

    @Override
    public int accountsUsed() {
        return oath.accountsUsed();
    }

    @Override
    public int accountsCapacity() {
        return oath.capacityAccounts();
    }

    @Override
    public long bytesUsed() {
        return oath.bytesUsed();
    }

    @Override
    public long bytesTotal() {
        return oath.bytesTotal();
    }
}
