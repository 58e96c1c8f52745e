package dev.otptoken.firmware.sim.junit;

import dev.otptoken.firmware.sim.OtpToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives a test (or its {@code @BeforeEach}) a running {@link OtpToken} per parameter, started
 * with {@link TokenOptions}, and stops it after the test, deleting its temporary state file:
 *
 * <pre>{@code
 * @ExtendWith(OtpTokenExtension.class)
 * class MyTest {
 *     @Test
 *     void shows(@TokenOptions(driftPpm = 20) OtpToken token) { ... }
 * }
 * }</pre>
 *
 * <p>JUnit Jupiter is a provided dependency of firmware-sim: the simulator itself runs without
 * it; a test that uses this class has it anyway.
 */
public final class OtpTokenExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(OtpTokenExtension.class);
    private static final String TOKENS = "tokens";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == OtpToken.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<TokenOptions> options = parameter.findAnnotation(TokenOptions.class)
                .or(() -> context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, TokenOptions.class)));
        OtpToken.Builder builder = OtpToken.builder();
        options.ifPresent(o -> {
            builder.model(o.model()).driftPpm(o.driftPpm()).timeScale(o.timeScale());
            if (!"now".equalsIgnoreCase(o.startTime())) {
                builder.startTime(Instant.parse(o.startTime()));
            }
        });
        OtpToken token;
        try {
            token = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new ParameterResolutionException("cannot start the token for " + parameter.getParameter()
                    + ": " + e.getMessage(), e);
        }
        tokens(context).add(token);
        return token;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<OtpToken> started = tokens(context);
        for (OtpToken t : started) {
            t.close();
        }
        started.clear();
    }

    @SuppressWarnings("unchecked")
    private static List<OtpToken> tokens(ExtensionContext context) {
        return (List<OtpToken>) context.getStore(NAMESPACE).getOrComputeIfAbsent(TOKENS, k -> new ArrayList<OtpToken>());
    }
}
