package dev.otptoken.hardware.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal entries a state file may carry with a valid CRC but no commit could have written
 * (docs/hardware.md, "Undo journal"): each is refused with a {@link CorruptImageException}
 * naming the entry, before anything is written or saved.
 */
class JournalCheckTest {
    private static final int USER = 4096;
    private static final int JOURNAL = TransactionalMemory.MIN_JOURNAL_SIZE;
    private static final int L_AT = 12;
    private static final int J_AT = TransactionalMemory.HEADER_SIZE;

    @TempDir
    Path dir;

    /** A memory with user bytes written, then L and entries patched in. */
    static byte[] image() {
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, null);
        m.write(0, new byte[] {1, 2, 3, 4}, 0, 4);
        return m.physicalImage();
    }

    static byte[] withEntry(int length, int address, int size) {
        byte[] image = image();
        ByteBuffer.wrap(image).putInt(L_AT, length).putInt(J_AT, address).putShort(J_AT + 4, (short) size);
        return image;
    }

    void assertRefused(byte[] image, String message) {
        byte[] before = image.clone();
        List<byte[]> saves = new ArrayList<>();
        assertThatThrownBy(() -> TransactionalMemory.powerUp(image, saves::add))
                .isInstanceOf(CorruptImageException.class).hasMessage(message);
        assertThat(image).as("the image is untouched").isEqualTo(before);
        assertThat(saves).as("nothing saved").isEmpty();
    }

    @Test
    void aNegativeAddressIsRefused() {
        assertRefused(withEntry(10, -16, 4),
                "journal entry 0 at journal offset 0 restores 4 bytes at address -16, outside the 4096-byte user area");
    }

    @Test
    void anAddressPastTheUserAreaIsRefused() {
        assertRefused(withEntry(10, Integer.MAX_VALUE, 4), "journal entry 0 at journal offset 0 restores 4 bytes at "
                + "address 2147483647, outside the 4096-byte user area");
        assertRefused(withEntry(10, USER - 3, 4),
                "journal entry 0 at journal offset 0 restores 4 bytes at address 4093, outside the 4096-byte user area");
    }

    @Test
    void aLengthRunningPastLIsRefused() {
        assertRefused(withEntry(10, 0, 5),
                "journal entry 0 at journal offset 0 holds 5 bytes, running past the 10-byte journal length");
        assertRefused(withEntry(JOURNAL, 0, 0xFFFF), "journal entry 0 at journal offset 0 holds 65535 bytes, "
                + "running past the 2048-byte journal length");
    }

    @Test
    void anEntryCutShortByLIsRefused() {
        // entry 0 is fine; L claims 3 more bytes, less than an entry header
        assertRefused(withEntry(13, 0, 4),
                "journal entry 1 at journal offset 10 is cut short: 3 of its 6 header bytes lie within the "
                        + "13-byte journal length");
    }

    @Test
    void aSecondBadEntryIsNamed() {
        byte[] image = withEntry(20, 0, 4);
        ByteBuffer.wrap(image).putInt(J_AT + 10, USER).putShort(J_AT + 14, (short) 4);
        assertRefused(image,
                "journal entry 1 at journal offset 10 restores 4 bytes at address 4096, outside the 4096-byte user area");
    }

    @Test
    void validEntriesAreStillUndone() {
        byte[] image = withEntry(10, USER - 4, 4);
        ByteBuffer.wrap(image).putInt(J_AT + 6, 0x0A0B0C0D);
        TransactionalMemory m = TransactionalMemory.powerUp(image, null);
        byte[] tail = new byte[4];
        m.read(USER - 4, tail, 0, 4);
        assertThat(tail).containsExactly(0x0A, 0x0B, 0x0C, 0x0D);
    }

    @Test
    void throughAStateFileTheRefusalNamesTheEntry() throws Exception {
        Path state = dir.resolve("STATE");
        StateFile.write(state, withEntry(10, -16, 4));
        byte[] content = Files.readAllBytes(state);
        assertThatThrownBy(() -> TransactionalMemory.powerUp(StateFile.read(state), null))
                .isInstanceOf(CorruptImageException.class).hasMessageContaining("journal entry 0");
        assertThat(Files.readAllBytes(state)).isEqualTo(content);
    }
}
