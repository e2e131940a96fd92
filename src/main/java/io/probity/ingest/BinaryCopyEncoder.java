package io.probity.ingest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes rows in PostgreSQL's binary {@code COPY} format (PostgreSQL documentation, "COPY",
 * section "Binary Format"): an 11-byte signature, flags and header extension, then per row a
 * 16-bit field count and per field a 32-bit length (−1 for NULL) followed by the value in the
 * type's binary send format; a 16-bit −1 ends the data.
 *
 * <p>Binary avoids formatting doubles as text in Java and parsing them again in the server,
 * which is most of the cost of a text {@code COPY} of probability vectors.
 */
final class BinaryCopyEncoder {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** OIDs of the element types, from PostgreSQL's pg_type catalogue. */
    private static final int FLOAT8_OID = 701;
    private static final int TEXT_OID = 25;
    /** Microseconds between the Unix epoch and PostgreSQL's epoch, 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * The encoded data so far, in {@code buffer[0, size)}. It is a plain array because a
     * DataOutputStream over a ByteArrayOutputStream writes each int as four synchronized
     * single-byte writes.
     */
    private byte[] buffer;
    private int size;

    BinaryCopyEncoder(int expectedBytes) {
        buffer = new byte[Math.max(expectedBytes, 64)];
        write(SIGNATURE);
        writeInt(0);
        writeInt(0);
    }

    void startRow(int fieldCount) {
        writeShort(fieldCount);
    }

    void writeNull() {
        writeInt(-1);
    }

    void writeBigint(long value) {
        writeInt(8);
        writeLong(value);
    }

    /** Writes a smallint, or NULL for a negative value (used for absent class indexes). */
    void writeClassIndex(int value) {
        if (value < 0) {
            writeNull();
            return;
        }
        writeInt(2);
        writeShort(value);
    }

    void writeDouble(double value) {
        writeInt(8);
        writeLong(Double.doubleToLongBits(value));
    }

    /** Writes a double precision value, or NULL for NaN (used for summaries that do not exist). */
    void writeOptionalDouble(double value) {
        if (Double.isNaN(value)) {
            writeNull();
        } else {
            writeDouble(value);
        }
    }

    void writeText(String value) {
        if (value == null) {
            writeNull();
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        write(bytes);
    }

    void writeTimestamp(Instant value) {
        writeInt(8);
        writeLong(epochMicros(value) - POSTGRES_EPOCH_MICROS);
    }

    /** Returns microseconds since 1970-01-01T00:00Z, truncated, as a timestamptz column stores an instant. */
    static long epochMicros(Instant value) {
        return Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
    }

    /** Writes a one-dimensional {@code double precision[]}; NaN and infinities are stored as such. */
    void writeDoubleArray(double[] values) {
        if (values == null) {
            writeNull();
            return;
        }
        writeInt(20 + values.length * 12);
        writeArrayHeader(FLOAT8_OID, values.length);
        for (double v : values) {
            writeInt(8);
            writeLong(Double.doubleToLongBits(v));
        }
    }

    void writeTextArray(List<String> values) {
        byte[][] encoded = new byte[values.size()][];
        int size = 20;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + encoded[i].length;
        }
        writeInt(size);
        writeArrayHeader(TEXT_OID, encoded.length);
        for (byte[] element : encoded) {
            writeInt(element.length);
            write(element);
        }
    }

    /** Writes {@code jsonb} in its binary format: a version byte (1) followed by the JSON text. */
    void writeJsonb(String json) {
        if (json == null) {
            writeNull();
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length + 1);
        writeByte(1);
        write(bytes);
    }

    /** Ends the data and returns it as a stream for {@code CopyManager.copyIn}. */
    InputStream finish() {
        writeShort(-1);
        return new ByteArrayInputStream(buffer, 0, size);
    }

    private void ensureCapacity(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }

    private void writeByte(int value) {
        ensureCapacity(1);
        buffer[size++] = (byte) value;
    }

    private void writeShort(int value) {
        ensureCapacity(2);
        SHORT.set(buffer, size, (short) value);
        size += 2;
    }

    private void writeInt(int value) {
        ensureCapacity(4);
        INT.set(buffer, size, value);
        size += 4;
    }

    private void writeLong(long value) {
        ensureCapacity(8);
        LONG.set(buffer, size, value);
        size += 8;
    }

    private void write(byte[] bytes) {
        ensureCapacity(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void writeArrayHeader(int elementOid, int length) {
        writeInt(1);
        writeInt(0);
        writeInt(elementOid);
        writeInt(length);
        writeInt(1);
    }
}
