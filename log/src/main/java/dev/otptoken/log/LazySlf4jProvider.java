package dev.otptoken.log;

import java.util.Arrays;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.LocationAwareLogger;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;
import org.tinylog.slf4j.TinylogSlf4jServiceProvider;

/**
 * The SLF4J provider of both programs (jssc's native-library loader logs through SLF4J): tinylog's
 * own provider, reached only for a message the program writes. Opening a serial port makes the
 * loader ask SLF4J for its loggers and log at debug level; with tinylog's provider bound
 * directly, that alone initialised tinylog (configuration, writers, the JVM's start time
 * through {@code java.lang.management}) in every serial command, for messages that go nowhere
 * without {@code -vv} (docs/performance.md, "Start-up"). Levels follow {@link Log}; tinylog's
 * configuration (the host's tinylog.properties puts {@code org.scijava} at warn) decides the rest.
 */
public final class LazySlf4jProvider implements SLF4JServiceProvider {
    /** SLF4J's property naming the provider to use instead of looking one up. */
    static final String PROVIDER_PROPERTY = "slf4j.provider";
    /** SLF4J's own verbosity: its notice that a provider was named explicitly is not the user's business. */
    static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory loggers = LazyLogger::new;

    /** Makes this the provider SLF4J binds, unless one was chosen on the command line. */
    public static void install() {
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            System.setProperty(PROVIDER_PROPERTY, LazySlf4jProvider.class.getName());
            if (System.getProperty(VERBOSITY_PROPERTY) == null) {
                System.setProperty(VERBOSITY_PROPERTY, "WARN");
            }
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return TinylogSlf4jServiceProvider.REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        // nothing until a message is written
    }

    /** tinylog's provider, made at the first message written. */
    private static final class Tinylog {
        static final ILoggerFactory FACTORY = factory();

        private static ILoggerFactory factory() {
            TinylogSlf4jServiceProvider provider = new TinylogSlf4jServiceProvider();
            provider.initialize();
            return provider.getLoggerFactory();
        }
    }

    /** A logger that answers "not enabled" below the command's verbosity without asking tinylog. */
    static final class LazyLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        /** The class whose methods a caller of SLF4J enters (trace, debug, ... are AbstractLogger's). */
        private static final String CALLER_BOUNDARY = AbstractLogger.class.getName();
        private transient volatile Logger delegate;

        LazyLogger(String name) {
            this.name = name;
        }

        private Logger delegate() {
            Logger d = delegate;
            if (d == null) {
                d = Tinylog.FACTORY.getLogger(name);
                delegate = d;
            }
            return d;
        }

        @Override
        public boolean isTraceEnabled() {
            return Log.traceEnabled() && delegate().isTraceEnabled();
        }

        @Override
        public boolean isDebugEnabled() {
            return Log.traceEnabled() && delegate().isDebugEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return Log.infoEnabled() && delegate().isInfoEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return delegate().isWarnEnabled();
        }

        @Override
        public boolean isErrorEnabled() {
            return delegate().isErrorEnabled();
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return CALLER_BOUNDARY;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
                                                   Throwable throwable) {
            Logger d = delegate();
            if (d instanceof LocationAwareLogger located) {
                // the caller tinylog sees (and whose package level applies: org.scijava at warn) is
                // the class that called SLF4J, the frame after AbstractLogger's
                located.log(marker, CALLER_BOUNDARY, level.toInt(), message, arguments, throwable);
                return;
            }
            Object[] all = arguments == null ? new Object[0] : arguments;
            if (throwable != null) {
                all = Arrays.copyOf(all, all.length + 1);
                all[all.length - 1] = throwable;
            }
            switch (level) {
                case ERROR -> d.error(message, all);
                case WARN -> d.warn(message, all);
                case INFO -> d.info(message, all);
                case DEBUG -> d.debug(message, all);
                default -> d.trace(message, all);
            }
        }
    }
}
