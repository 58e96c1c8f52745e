package dev.otptoken.hardware.memory;

/**
 * A memory image whose undo journal cannot be applied: an entry's address or length falls
 * outside the user area, or an entry runs past the journal length L (docs/hardware.md, "Undo
 * journal"). Thrown by {@link TransactionalMemory#powerUp} before anything is written, so the
 * image and any state file it came from stay as they are. Unchecked, like the other layout
 * refusals of {@code powerUp} ({@link IllegalArgumentException}), whose subclass it is.
 */
public final class CorruptImageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CorruptImageException(String message) {
        super(message);
    }
}
