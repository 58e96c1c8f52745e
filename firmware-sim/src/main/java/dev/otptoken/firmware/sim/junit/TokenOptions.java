package dev.otptoken.firmware.sim.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@link OtpTokenExtension} starts the token of a test: on the parameter, or on the test
 * method for all its token parameters (the parameter's own wins). Without it: the defaults of
 * {@link dev.otptoken.firmware.sim.OtpToken#builder()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD})
public @interface TokenOptions {
    /** The model, one of {@link dev.otptoken.firmware.sim.OtpToken#models()}. */
    String model() default "otptoken";

    /** Crystal error at 25 °C in ppm. */
    double driftPpm() default 0;

    /** The RTC reading of the fresh token, ISO-8601 ({@code 2030-01-01T00:00:00Z}), or {@code now}. */
    String startTime() default "now";

    /** Simulated time runs this many times faster than real time. */
    double timeScale() default 1;
}
