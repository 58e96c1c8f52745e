package dev.otptoken.firmware.ui;

import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.Totp;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * The button → display state machine of the token (docs/hardware.md).
 *
 * <p>All timing uses the token's own RTC, as the real firmware would (its timer runs from
 * the same crystal): codes are those of the RTC's time step, never of true time.
 *
 * <ul>
 *   <li>A short press shows the selected account's code. TOTP: the code of the current
 *       step, counting down to the end of its period; a press during the last
 *       {@value #MARK_SECONDS} seconds shows the <em>next</em> step's code instead (the user
 *       could not type the current one in time, and verifiers accept one step ahead).
 *       HOTP: every press shows the next code (the counter moves on persistently).</li>
 *   <li>The display turns off after the timeout setting, or at the end of the shown
 *       period when the timeout is {@link DisplaySettings#UNTIL_PERIOD_END} (HOTP then
 *       stays on {@value #HOTP_SECONDS} s). While on, a TOTP display follows period
 *       changes.</li>
 *   <li>A long press selects the next account (wrapping); a TOTP account's code is shown
 *       at once, an HOTP account's only on the next short press, so browsing does not burn
 *       counter values.</li>
 *   <li>While the host waits for a touch, a press releases it and does nothing else.</li>
 * </ul>
 *
 * <p>{@code chip} is the lock the card runtime holds while it processes an APDU: the
 * applet and its memory run one thing at a time. The ticker never blocks on it (a host
 * may hold it while waiting for a touch); it retries on the next tick.
 */
public final class TokenUi {
    /** The last seconds of a code during which it is marked. */
    public static final int MARK_SECONDS = 5;
    /** How long an HOTP code stays on when the timeout is "until the period ends". */
    public static final int HOTP_SECONDS = 30;

    private static final long MICROS = 1_000_000L;

    private final RealTimeClock rtc;
    private final AccountCodes accounts;
    private final DisplaySettings settings;
    private final ButtonTouchGate touchGate;
    private final Lock chip;
    private final Consumer<Optional<Readout>> listener;

    // guarded by this
    private boolean on;
    private int account;
    private AccountSummary summary;
    private long minStep;
    private long shownStep;
    private String code;
    private long offAtMicros;
    private boolean offAtPeriodEnd;
    private Optional<Readout> last = Optional.empty();

    /**
     * @param listener told of every change of what the display shows (called in order,
     *                 from the thread that caused the change)
     */
    public TokenUi(RealTimeClock rtc, AccountCodes accounts, DisplaySettings settings,
                   ButtonTouchGate touchGate, Lock chip, Consumer<Optional<Readout>> listener) {
        this.rtc = Objects.requireNonNull(rtc);
        this.accounts = Objects.requireNonNull(accounts);
        this.settings = Objects.requireNonNull(settings);
        this.touchGate = Objects.requireNonNull(touchGate);
        this.chip = Objects.requireNonNull(chip);
        this.listener = Objects.requireNonNull(listener);
    }

    /** A short press. */
    public void press() {
        if (touchGate.release()) {
            return;
        }
        chip.lock();
        try {
            synchronized (this) {
                int count = accounts.accountCount();
                if (count == 0) {
                    turnOff();
                    return;
                }
                int selected = settings.selectedAccount();
                show(selected >= 0 && selected < count ? selected : 0, true);
            }
        } finally {
            chip.unlock();
        }
    }

    /** A long press (≥ 2 s): the next account. */
    public void longPress() {
        chip.lock();
        try {
            synchronized (this) {
                int count = accounts.accountCount();
                if (count == 0) {
                    turnOff();
                    return;
                }
                int selected = settings.selectedAccount();
                int next = selected >= 0 && selected < count - 1 ? selected + 1 : 0;
                settings.selectAccount(next);
                if (accounts.account(next).type() == OathType.TOTP) {
                    show(next, false);
                } else {
                    turnOff();
                }
            }
        } finally {
            chip.unlock();
        }
    }

    /** Advances the display to the RTC's current reading: countdown, period change, off. */
    public synchronized void tick() {
        if (!on) {
            return;
        }
        long now = rtc.readMicros();
        if (now >= offAtMicros) {
            turnOff();
            return;
        }
        if (summary.type() == OathType.TOTP) {
            long step = Math.max(stepOf(now), minStep);
            if (step != shownStep) {
                if (!chip.tryLock()) {
                    return;
                }
                try {
                    if (account >= accounts.accountCount()) {
                        turnOff();
                        return;
                    }
                    code = accounts.totpCode(account, step);
                    shownStep = step;
                } finally {
                    chip.unlock();
                }
            }
        }
        publish(now);
    }

    /** What the display shows now (empty when off). */
    public synchronized Optional<Readout> current() {
        return last;
    }

    private void show(int index, boolean pressed) {
        long now = rtc.readMicros();
        AccountSummary s = accounts.account(index);
        account = index;
        summary = s;
        int timeout = settings.timeoutSeconds();
        offAtPeriodEnd = timeout == DisplaySettings.UNTIL_PERIOD_END;
        if (s.type() == OathType.HOTP) {
            code = accounts.nextHotpCode(index);
            offAtMicros = now + (offAtPeriodEnd ? HOTP_SECONDS : timeout) * MICROS;
        } else {
            long step = stepOf(now);
            if (pressed && secondsLeft(now, step) <= MARK_SECONDS) {
                step++;
            }
            minStep = step;
            shownStep = step;
            code = accounts.totpCode(index, step);
            offAtMicros = offAtPeriodEnd ? endOf(step) : now + timeout * MICROS;
        }
        on = true;
        publish(now);
    }

    private void publish(long now) {
        int left;
        if (summary.type() == OathType.TOTP) {
            left = secondsLeft(now, shownStep);
        } else {
            left = ceilSeconds(offAtMicros - now);
        }
        Optional<Readout> r = Optional.of(new Readout(account, code, left, left <= MARK_SECONDS));
        if (!r.equals(last)) {
            last = r;
            listener.accept(r);
        }
    }

    private void turnOff() {
        on = false;
        code = null;
        if (last.isPresent()) {
            last = Optional.empty();
            listener.accept(last);
        }
    }

    private long periodMicros() {
        return summary.periodSeconds() * MICROS;
    }

    private long stepOf(long micros) {
        return Totp.step(micros, MICROS, summary.periodSeconds());
    }

    private long endOf(long step) {
        return (step + 1) * periodMicros();
    }

    private int secondsLeft(long now, long step) {
        return ceilSeconds(endOf(step) - now);
    }

    private static int ceilSeconds(long micros) {
        return (int) Math.max(0, -Math.floorDiv(-micros, MICROS));
    }
}
