package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.hardware.memory.NonVolatileMemory;
import java.util.Optional;

/**
 * Which {@link DeviceModel} a token's memory belongs to: four bytes just below the device
 * record, {@code 4D 31} ("M1"), the model's code, {@code 00}. All four zero is a memory that
 * never had a record: a token made before models existed, or one never written at all, both
 * the otptoken model (docs/otptoken-sim.md, "State file"). The otptoken model never writes
 * the record, so its state files are what they always were; the other models write it in the
 * same transaction as the device record, when the token is made.
 */
final class ModelRecord {
    /** Bytes the record occupies. */
    static final int SIZE = 4;
    private static final byte LETTER = 'M';
    private static final byte VERSION = '1';
    private static final int OFF_CODE = 2;
    private static final int OFF_RESERVED = 3;

    private ModelRecord() {
    }

    /**
     * The model the record at {@code base} names, or empty when all its bytes are zero.
     *
     * @throws CorruptRegionException a record that is neither empty nor valid: a damaged magic,
     *         a layout version or a model code this firmware does not know
     */
    static Optional<DeviceModel> read(NonVolatileMemory memory, int base) throws CorruptRegionException {
        byte[] r = new byte[SIZE];
        memory.read(base, r, 0, SIZE);
        if (CorruptRegionException.empty(memory, base, SIZE)) {
            return Optional.empty();
        }
        if (r[0] == LETTER && r[1] != VERSION && Character.isDigit(r[1])) {
            throw new CorruptRegionException("the model record has layout version " + (char) r[1]
                    + ", this firmware knows version " + (char) VERSION);
        }
        if (r[0] != LETTER || r[1] != VERSION || r[OFF_RESERVED] != 0) {
            throw new CorruptRegionException("the model record is damaged (" + CorruptRegionException.hex(r)
                    + ", expected 4D31..00)");
        }
        Optional<DeviceModel> model = DeviceModel.byCode(r[OFF_CODE] & 0xFF);
        if (model.isEmpty()) {
            throw new CorruptRegionException("the model record names model "
                    + CorruptRegionException.hex(new byte[] {r[OFF_CODE]}) + ", which this firmware does not know");
        }
        return model;
    }

    /** Writes the record of {@code model} (one write; the caller holds the transaction that makes the token). */
    static void write(NonVolatileMemory memory, int base, DeviceModel model) {
        memory.write(base, new byte[] {LETTER, VERSION, (byte) model.code, 0}, 0, SIZE);
    }
}
