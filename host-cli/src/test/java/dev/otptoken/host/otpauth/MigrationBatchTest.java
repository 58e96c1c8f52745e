package dev.otptoken.host.otpauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MigrationBatchTest {
    private static MigrationBatch.Code code(int index, int size, int id) {
        return new MigrationBatch.Code(index, size, id);
    }

    @Test
    void aWholeExportIsComplete() {
        assertThat(MigrationBatch.incomplete(List.of(code(1, 2, 7), code(0, 2, 7)))).isEmpty();
        assertThat(MigrationBatch.incomplete(List.of(code(0, 1, 0)))).as("one code of one").isEmpty();
        assertThat(MigrationBatch.incomplete(List.of())).isEmpty();
    }

    @Test
    void theCodesNotGivenAreNumberedAsTheAppShowsThemFromOne() {
        assertThat(MigrationBatch.incomplete(List.of(code(0, 2, 7))))
                .containsExactly(new MigrationBatch.Incomplete(2, List.of(2)));
        assertThat(MigrationBatch.incomplete(List.of(code(2, 4, 7), code(2, 4, 7))))
                .as("a code given twice counts once")
                .containsExactly(new MigrationBatch.Incomplete(4, List.of(1, 2, 4)));
    }

    @Test
    void codesBelongToTheirExportByItsId() {
        assertThat(MigrationBatch.incomplete(List.of(code(0, 2, 5), code(0, 3, 9), code(1, 2, 5), code(2, 3, 9))))
                .containsExactly(new MigrationBatch.Incomplete(3, List.of(2)));
        assertThat(MigrationBatch.incomplete(List.of(code(1, 2, 9), code(0, 2, 5))))
                .as("in the order their first code came")
                .containsExactly(new MigrationBatch.Incomplete(2, List.of(1)), new MigrationBatch.Incomplete(2, List.of(2)));
    }

    /** A damaged payload's size is not believed: nothing is listed by the billion, nothing runs out of memory. */
    @Test
    void anExportLargerThanAnyRealOneIsNotChecked() {
        assertThat(MigrationBatch.incomplete(List.of(code(0, Integer.MAX_VALUE, 1), code(Integer.MAX_VALUE - 1,
                Integer.MAX_VALUE, 2), code(0, MigrationBatch.MAX_BATCH_SIZE + 1, 3), code(0, -5, 4)))).isEmpty();
        assertThat(MigrationBatch.incomplete(List.of(code(0, MigrationBatch.MAX_BATCH_SIZE, 1))).get(0).missing())
                .hasSize(MigrationBatch.MAX_BATCH_SIZE - 1);
    }

    @Test
    void codesOfOneIdButOtherSizesAreOtherExports() {
        assertThat(MigrationBatch.incomplete(List.of(code(0, 2, 7), code(1, 3, 7))))
                .containsExactly(new MigrationBatch.Incomplete(2, List.of(2)), new MigrationBatch.Incomplete(3, List.of(1, 3)));
    }

    @Test
    void anIndexOutsideItsExportIsIgnored() {
        assertThat(MigrationBatch.incomplete(List.of(code(5, 2, 1), code(-1, 2, 1))))
                .containsExactly(new MigrationBatch.Incomplete(2, List.of(1, 2)));
    }

    /** Any subset of an export's codes, in any order: what is missing is exactly the rest. */
    @Property
    void theMissingCodesAreExactlyThoseNotGiven(@ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<MigrationBatch.Code> given = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (random.nextBoolean()) {
                given.add(code(i, size, 3));
            } else {
                missing.add(i + 1);
            }
        }
        Collections.shuffle(given, random);
        List<MigrationBatch.Incomplete> found = MigrationBatch.incomplete(given);
        if (missing.isEmpty() || given.isEmpty()) {
            // nothing given says nothing of the export; all given is whole
            assertThat(found).isEmpty();
        } else {
            assertThat(found).containsExactly(new MigrationBatch.Incomplete(size, missing));
        }
    }
}
