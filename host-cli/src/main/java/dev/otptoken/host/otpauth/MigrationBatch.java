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
     * The exports of which {@code batches} hold only some codes, in the order their first code
     * came: codes belong to one export by {@code batchId}, and an export of {@code batchSize} codes
     * is whole when every index from 0 to {@code batchSize - 1} is there. A code given twice counts
     * once; an index outside the export's size (a damaged payload) is ignored.
     */
    public static List<Incomplete> incomplete(List<MigrationBatch> batches) {
        Map<Integer, MigrationBatch> first = new LinkedHashMap<>();
        Map<Integer, BitSet> seen = new LinkedHashMap<>();
        for (MigrationBatch b : batches) {
            first.putIfAbsent(b.batchId(), b);
            if (b.batchIndex() >= 0 && b.batchIndex() < b.batchSize()) {
                seen.computeIfAbsent(b.batchId(), id -> new BitSet()).set(b.batchIndex());
            }
        }
        List<Incomplete> incomplete = new ArrayList<>();
        for (Map.Entry<Integer, MigrationBatch> e : first.entrySet()) {
            int size = e.getValue().batchSize();
            BitSet have = seen.getOrDefault(e.getKey(), new BitSet());
            List<Integer> missing = new ArrayList<>();
            for (int i = have.nextClearBit(0); i < size; i = have.nextClearBit(i + 1)) {
                missing.add(i + 1);
            }
            if (!missing.isEmpty()) {
                incomplete.add(new Incomplete(size, missing));
            }
        }
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
