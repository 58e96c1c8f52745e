package dev.otptoken.protocol.oath;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A holder for secret bytes (an OATH key, a password-derived key). Not a record, not
 * serializable, no {@code equals}: the bytes leave only through {@link #copy()} or
 * {@link #use}, and {@link #destroy()} overwrites them with zeros. {@code toString} says
 * only {@code redacted, N bytes}.
 */
public final class SecretBytes implements Destroyable, AutoCloseable {
    private final byte[] bytes;
    private boolean destroyed;

    private SecretBytes(byte[] owned) {
        this.bytes = owned;
    }

    /** Takes a copy of {@code source}; the caller still owns (and should wipe) its array. */
    public static SecretBytes copyOf(byte[] source) {
        return new SecretBytes(source.clone());
    }

    /** Takes {@code source} itself: the holder now owns it and will wipe it. */
    public static SecretBytes wrap(byte[] source) {
        return new SecretBytes(source);
    }

    /** The number of secret bytes. */
    public int length() {
        checkAlive();
        return bytes.length;
    }

    /** A copy the caller must wipe (see {@link #wipe(byte[])}). */
    public byte[] copy() {
        checkAlive();
        return bytes.clone();
    }

    /** Lends the bytes to {@code action} without copying; the action must not keep them. */
    public <R, E extends Exception> R use(SecretFunction<R, E> action) throws E {
        checkAlive();
        return action.apply(bytes);
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return destroyed ? "redacted, destroyed" : "redacted, " + bytes.length + " bytes";
    }

    /** Overwrites {@code array} with zeros (null-safe). */
    public static void wipe(byte[] array) {
        if (array != null) {
            Arrays.fill(array, (byte) 0);
        }
    }

    /** Overwrites {@code array} with NULs (null-safe); for passwords. */
    public static void wipe(char[] array) {
        if (array != null) {
            Arrays.fill(array, '\0');
        }
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("secret already destroyed");
        }
    }

    /** Borrows the secret bytes. */
    @FunctionalInterface
    public interface SecretFunction<R, E extends Exception> {
        R apply(byte[] secret) throws E;
    }
}
