package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.oath.Oath;
import java.security.SecureRandom;
import java.time.Instant;

/** The conformance suite on the card runtime in this JVM, on the real journalled memory. */
class OathConformanceInProcessTest extends OathConformance {
    @Override
    ApduTransport freshToken() {
        TransactionalMemory memory = TransactionalMemory.fresh();
        DriftingRtc rtc = new DriftingRtc(new VirtualTimeSource(Instant.parse("2026-01-01T00:00:00Z")),
                CrystalModel.of(0, 25, 0), TrimRegister.STM32_CALR);
        CardRuntime runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), new OathApplet(memory, rtc, timeout -> false, new SecureRandom()));
        return runtime::transmit;
    }
}
