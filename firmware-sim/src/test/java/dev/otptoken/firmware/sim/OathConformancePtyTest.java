package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.apdu.ApduTransport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The same conformance suite through the simulator's real pseudo-terminal: jssc on the host
 * side, the T=1 initiator from {@code protocol}, the token's T=1 responder and runtime.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OathConformancePtyTest extends OathConformance {
    private TokenHarness token;

    @Override
    ApduTransport freshToken() throws Exception {
        token = TokenHarness.inProcess(null);
        assertThat(token.attached()).isTrue();
        token.connect();
        return token.transport();
    }

    @AfterEach
    void stop() throws Exception {
        if (token != null) {
            assertThat(token.quit()).isZero();
            token.close();
        }
    }
}
