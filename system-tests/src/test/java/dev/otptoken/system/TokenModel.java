package dev.otptoken.system;

import dev.otptoken.protocol.oath.OathType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the token must hold, as far as the host could know it. A failed command (exit 4)
 * may or may not have taken effect on the token (the card executed but the answer was
 * lost), so the model keeps that uncertainty explicitly: an account may be {@link Presence#MAYBE}
 * present, and an HOTP counter is a range {@code [lo, hi]} widened by at most one per failed
 * command that could have calculated it. Every successful output narrows it again; anything
 * outside the allowed set is recorded as a violation: a wrong code, a duplicated side effect,
 * a lost or ghost account.
 */
final class TokenModel {
    enum Presence { YES, MAYBE }

    static final class Entry {
        final String name;
        final Credential credential;
        Presence presence;
        /** HOTP: the counter the next calculation uses is in [lo, hi]. */
        long lo;
        long hi;
        /** A failed rename leaves its old and new name both MAYBE: exactly one of them exists. */
        String renamePartner;

        Entry(String name, Credential credential, Presence presence, long lo, long hi) {
            this.name = name;
            this.credential = credential;
            this.presence = presence;
            this.lo = lo;
            this.hi = hi;
        }
    }

    final Map<String, Entry> accounts = new LinkedHashMap<>();
    final List<String> violations = new ArrayList<>();
    long wrongCodes;
    long duplicates;
    long lost;
    long ghosts;
    long codesChecked;

    List<Entry> present() {
        return accounts.values().stream().filter(e -> e.presence == Presence.YES).toList();
    }

    long maybeCount() {
        return accounts.values().stream().filter(e -> e.presence == Presence.MAYBE).count();
    }

    void provisioned(String name, Credential c) {
        // The provisioning proof consumed the initial counter.
        accounts.put(name, new Entry(name, c, Presence.YES, c.initialCounter + 1, c.initialCounter + 1));
    }

    void provisionFailed(String name, Credential c) {
        accounts.put(name, new Entry(name, c, Presence.MAYBE, c.initialCounter, c.initialCounter + 1));
    }

    void deleted(String name) {
        accounts.remove(name);
    }

    void deleteFailed(String name) {
        accounts.get(name).presence = Presence.MAYBE;
    }

    void renamed(String from, String to) {
        Entry e = accounts.remove(from);
        Entry n = new Entry(to, e.credential, Presence.YES, e.lo, e.hi);
        accounts.put(to, n);
    }

    void renameFailed(String from, String to) {
        Entry e = accounts.get(from);
        e.presence = Presence.MAYBE;
        e.renamePartner = to;
        Entry n = new Entry(to, e.credential, Presence.MAYBE, e.lo, e.hi);
        n.renamePartner = from;
        accounts.put(to, n);
    }

    /** A failed command that may have calculated these HOTP accounts once each. */
    void mayHaveCalculated(List<Entry> entries) {
        for (Entry e : entries) {
            if (e.credential.type == OathType.HOTP) {
                e.hi++;
            }
        }
    }

    /** Checks one printed code; narrows the HOTP counter. */
    void checkCode(String where, Entry e, String code, Instant before, Instant after) {
        codesChecked++;
        Credential c = e.credential;
        if (c.type == OathType.TOTP) {
            for (long s = c.firstStep(before); s <= c.lastStep(after); s++) {
                if (c.totp(s).equals(code)) {
                    return;
                }
            }
            wrongCodes++;
            violation(where + ": wrong TOTP code for " + e.name);
            return;
        }
        for (long k = e.lo; k <= e.hi; k++) {
            if (c.hotp(k).equals(code)) {
                e.lo = k + 1;
                e.hi = k + 1;
                return;
            }
        }
        // Not a counter the host could have used: was the command (or the PUT) applied twice?
        for (long k = Math.max(0, e.lo - 2); k <= e.hi + 2; k++) {
            if (c.hotp(k).equals(code)) {
                duplicates++;
                violation(where + ": " + e.name + " returned the code of counter " + k + ", expected one of ["
                        + e.lo + ", " + e.hi + "]: a side effect was applied twice");
                e.lo = k + 1;
                e.hi = k + 1;
                return;
            }
        }
        wrongCodes++;
        violation(where + ": wrong HOTP code for " + e.name + " (counter in [" + e.lo + ", " + e.hi + "])");
    }

    /**
     * An authoritative listing (a successful list or code-all): every YES account must be
     * there, MAYBE accounts resolve, nothing else may appear. Returns the entries seen.
     */
    List<Entry> reconcile(String where, Set<String> listed) {
        List<Entry> seen = new ArrayList<>();
        for (String n : listed) {
            if (!accounts.containsKey(n)) {
                ghosts++;
                violation(where + ": the token holds " + n + ", which the model never had");
            }
        }
        for (Entry e : accounts.values()) {
            if (e.presence == Presence.MAYBE && e.renamePartner != null && e.name.compareTo(e.renamePartner) < 0
                    && accounts.containsKey(e.renamePartner)) {
                boolean a = listed.contains(e.name);
                boolean b = listed.contains(e.renamePartner);
                if (a && b) {
                    duplicates++;
                    violation(where + ": after a failed rename both " + e.name + " and " + e.renamePartner + " exist");
                } else if (!a && !b) {
                    lost++;
                    violation(where + ": after a failed rename neither " + e.name + " nor " + e.renamePartner
                            + " exists");
                }
            }
        }
        Set<String> gone = new HashSet<>();
        for (Entry e : accounts.values()) {
            boolean there = listed.contains(e.name);
            if (e.presence == Presence.YES && !there) {
                lost++;
                violation(where + ": " + e.name + " was lost");
                gone.add(e.name);
            } else if (e.presence == Presence.MAYBE) {
                if (there) {
                    e.presence = Presence.YES;
                } else {
                    gone.add(e.name);
                }
            }
            if (there) {
                seen.add(e);
            }
        }
        gone.forEach(accounts::remove);
        for (Entry e : accounts.values()) {
            e.renamePartner = null;
        }
        return seen;
    }

    void violation(String text) {
        violations.add(text);
    }
}
