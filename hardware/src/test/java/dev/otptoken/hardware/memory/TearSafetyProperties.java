package dev.otptoken.hardware.memory;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TearSafetyProperties {

    @Property(tries = 40)
    void anyTransactionShapeIsAllOrNothing(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 8000) Integer> addresses,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 150) Integer> lengths,
            @ForAll boolean transactional) {
        int n = Math.min(addresses.size(), lengths.size());
        TearSafetyTest.assertTearSafe(TearSafetyTest.SETUP, m -> {
            if (transactional) {
                m.beginTransaction();
            }
            for (int i = 0; i < (transactional ? n : 1); i++) {
                int len = Math.min(lengths.get(i), m.size() - addresses.get(i));
                m.write(addresses.get(i), TearSafetyTest.fill(len, i + 11), 0, len);
            }
            if (transactional) {
                m.commitTransaction();
            }
        });
    }
}
