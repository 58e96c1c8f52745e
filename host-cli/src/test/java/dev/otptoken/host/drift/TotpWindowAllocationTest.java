package dev.otptoken.host.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The window search allocates nothing per step once warm (docs/performance.md, "TOTP window
 * search"): counted with the thread's allocated-bytes counter, never timed.
 */
class TotpWindowAllocationTest {
    private static final int WINDOW = 1000;

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void searchingAWholeWindowAllocatesNothing(HashAlgorithm alg) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        long own = 1_900_000_000L / 30;
        try (TotpWindowSearch search = new TotpWindowSearch(alg, SecretBytes.copyOf(key), 6, 30)) {
            // a code from far outside the window: every one of the 2 x 1000 + 1 steps is computed
            String absent = null;
            for (long far = own + 10L * WINDOW; absent == null; far++) {
                String c = Totp.code(alg, key, Instant.ofEpochSecond(far * 30), 30, 6);
                if (search.find(c, own, WINDOW).isEmpty()) {
                    absent = c;
                }
            }
            for (int i = 0; i < 20; i++) {
                search.find(absent, own, WINDOW);
            }
            long tid = Thread.currentThread().getId();
            long least = Long.MAX_VALUE;
            for (int batch = 0; batch < 10 && least > 0; batch++) {
                long before = mx.getThreadAllocatedBytes(tid);
                boolean found = search.find(absent, own, WINDOW).isPresent();
                least = Math.min(least, mx.getThreadAllocatedBytes(tid) - before);
                assertThat(found).isFalse();
            }
            assertThat(least).as("bytes allocated by 2001 steps, best of up to 10 searches").isZero();
        }
    }
}
