package io.probity.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    private final ByteArrayOutputStream buffer;
    private final DataOutputStream out;

    BinaryCopyEncoder(int expectedBytes) {
        buffer = new ByteArrayOutputStream(expectedBytes);
        out = new DataOutputStream(buffer);
        try {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void startRow(int fieldCount) throws IOException {
        out.writeShort(fieldCount);
    }

    void writeNull() throws IOException {
        out.writeInt(-1);
    }

    void writeBigint(long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    /** Writes a smallint, or NULL for a negative value (used for absent class indexes). */
    void writeClassIndex(int value) throws IOException {
        if (value < 0) {
            writeNull();
            return;
        }
        out.writeInt(2);
        out.writeShort(value);
    }

    void writeDouble(double value) throws IOException {
        out.writeInt(8);
        out.writeDouble(value);
    }

    /** Writes a double precision value, or NULL for NaN (used for summaries that do not exist). */
    void writeOptionalDouble(double value) throws IOException {
        if (Double.isNaN(value)) {
            writeNull();
        } else {
            writeDouble(value);
        }
    }

    void writeText(String value) throws IOException {
        if (value == null) {
            writeNull();
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    void writeTimestamp(Instant value) throws IOException {
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
        out.writeInt(8);
        out.writeLong(micros - POSTGRES_EPOCH_MICROS);
    }

    /** Writes a one-dimensional {@code double precision[]}; NaN and infinities are stored as such. */
    void writeDoubleArray(double[] values) throws IOException {
        if (values == null) {
            writeNull();
            return;
        }
        out.writeInt(20 + values.length * 12);
        writeArrayHeader(FLOAT8_OID, values.length);
        for (double v : values) {
            out.writeInt(8);
            out.writeDouble(v);
        }
    }

    void writeTextArray(List<String> values) throws IOException {
        byte[][] encoded = new byte[values.size()][];
        int size = 20;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + encoded[i].length;
        }
        out.writeInt(size);
        writeArrayHeader(TEXT_OID, encoded.length);
        for (byte[] element : encoded) {
            out.writeInt(element.length);
            out.write(element);
        }
    }

    /** Writes {@code jsonb} in its binary format: a version byte (1) followed by the JSON text. */
    void writeJsonb(String json) throws IOException {
        if (json == null) {
            writeNull();
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length + 1);
        out.writeByte(1);
        out.write(bytes);
    }

    /** Ends the data and returns it as a stream for {@code CopyManager.copyIn}. */
    InputStream finish() throws IOException {
        out.writeShort(-1);
        out.flush();
        return new ByteArrayInputStream(buffer.toByteArray());
    }

    private void writeArrayHeader(int elementOid, int length) throws IOException {
        out.writeInt(1);
        out.writeInt(0);
        out.writeInt(elementOid);
        out.writeInt(length);
        out.writeInt(1);
    }
}
