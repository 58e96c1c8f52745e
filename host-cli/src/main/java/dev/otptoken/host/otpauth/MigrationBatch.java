package dev.otptoken.host.otpauth;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.Destroyable;

/**
 * One {@code otpauth-migration} QR code: Google Authenticator splits a large export into
 * several codes, numbered {@code batchIndex} of {@code batchSize} and tied by {@code batchId},
 * so the CLI can tell the user whether a code of the set is missing.
 *
 * <p>A record for its shape, but it carries credentials (which own keys): {@code toString}
 * shows counts only, and {@link #destroy()} wipes every key.
 */
public record MigrationBatch(List<OtpCredential> accepted, List<Skipped> skipped, int batchIndex,
        int batchSize, int batchId) implements Destroyable {

    public MigrationBatch {
        accepted = List.copyOf(accepted);
        skipped = List.copyOf(skipped);
    }

    /**
     * Where one QR code stands in its export: number {@code batchIndex} (from 0) of {@code
     * batchSize}, of the export {@code batchId}. No account and no key: what is kept of a code
     * once its accounts are taken, to tell whether an input holds the whole export.
     */
    public record Code(int batchIndex, int batchSize, int batchId) {
    }

    /** This code's place in its export. */
    public Code code() {
        return new Code(batchIndex, batchSize, batchId);
    }

    /**
     * An export of {@code batchSize} codes of which the input lacks some.
     *
     * @param missing the numbers (from 1, as the app shows them) of the codes not given, ascending
     */
    public record Incomplete(int batchSize, List<Integer> missing) {
        public Incomplete {
            missing = List.copyOf(missing);
        }
    }

    /**
     * The most codes an export is taken to have. Google Authenticator puts about ten accounts
     * in a code and a token holds a few dozen; a larger size is a damaged payload, whose export
     * is not checked (and whose missing codes are not listed by the billion).
     */
    public static final int MAX_BATCH_SIZE = 1000;

    /**
     * The exports of which {@code codes} hold only some, in the order their first code
     * came: codes belong to one export by {@code batchId} and {@code batchSize}, and an export
     * is whole when every index from 0 to {@code batchSize - 1} is there. A code given twice
     * counts once; an index outside the export's size is ignored; an export of one code, or of
     * more than {@link #MAX_BATCH_SIZE}, is not checked.
     */
    public static List<Incomplete> incomplete(List<Code> codes) {
        record Export(int id, int size) {
        }
        Map<Export, BitSet> seen = new LinkedHashMap<>();
        for (Code b : codes) {
            if (b.batchSize() < 2 || b.batchSize() > MAX_BATCH_SIZE) {
                continue;
            }
            BitSet have = seen.computeIfAbsent(new Export(b.batchId(), b.batchSize()), e -> new BitSet(e.size()));
            if (b.batchIndex() >= 0 && b.batchIndex() < b.batchSize()) {
                have.set(b.batchIndex());
            }
        }
        List<Incomplete> incomplete = new ArrayList<>();
        seen.forEach((export, have) -> {
            List<Integer> missing = new ArrayList<>();
            for (int i = have.nextClearBit(0); i < export.size(); i = have.nextClearBit(i + 1)) {
                missing.add(i + 1);
            }
            if (!missing.isEmpty()) {
                incomplete.add(new Incomplete(export.size(), missing));
            }
        });
        return incomplete;
    }

    @Override
    public void destroy() {
        accepted.forEach(OtpCredential::destroy);
    }

    @Override
    public boolean isDestroyed() {
        return accepted.stream().allMatch(OtpCredential::isDestroyed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MigrationBatch[%d accepted, %d skipped, batch %d of %d, id %d]",
                accepted.size(), skipped.size(), batchIndex + 1, batchSize, batchId);
    }
}
