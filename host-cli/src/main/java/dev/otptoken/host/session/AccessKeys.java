package dev.otptoken.host.session;

import java.io.IOException;

/**
 * Access keys remembered between commands ({@code --remember}), by the OATH device id
 * ({@link OathSession#deviceId()}). Keys handed in are the caller's to wipe; keys handed out
 * are the receiver's. Implementations never log or print a key.
 */
public interface AccessKeys {
    /** Nothing remembered, nothing kept: the behaviour without {@code --remember}. */
    AccessKeys NONE = new AccessKeys() {
        @Override
        public byte[] find(String deviceId) {
            return null;
        }

        @Override
        public void remember(String deviceId, byte[] key) {
        }

        @Override
        public void refused(String deviceId) {
        }
    };

    /** The key remembered for {@code deviceId}, or null. */
    byte[] find(String deviceId) throws IOException;

    /** Keeps {@code key} for {@code deviceId}, replacing any earlier one. */
    void remember(String deviceId, byte[] key) throws IOException;

    /** The token {@code deviceId} refused its remembered key: forget it (and say so). */
    void refused(String deviceId) throws IOException;
}
