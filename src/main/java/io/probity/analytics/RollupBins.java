package io.probity.analytics;

import java.nio.ByteBuffer;

/**
 * Packs the eight 60-bin arrays of a {@link RollupSums} into the {@code bins} column of the rollup
 * tables, and unpacks them.
 *
 * <p>Layout, for each array in the order confidence histogram, margin histogram, entropy histogram,
 * bin counts, bin confidence sums, labelled counts, labelled confidence sums, correct counts: an
 * 8-byte mask whose bit {@code i} is set when bin {@code i} is not zero, then the value of each
 * such bin in bin order, 8 bytes each (a {@code long}, or the IEEE 754 bits of a {@code double}),
 * all big-endian. A row of one batch has mostly empty bins, so it is far smaller than eight full
 * arrays, and neither side converts element by element as PostgreSQL's array input and output do.
 * A zero, including -0.0, is not stored and reads back as 0.
 */
public final class RollupBins {

    /** The size of a packed value with every bin set: 8 masks and 480 values. */
    public static final int MAX_BYTES = 8 * (8 + 8 * RollupSums.FINE_BINS);

    private RollupBins() {
    }

    /** Returns the packed bins of {@code sums}. */
    public static byte[] pack(RollupSums sums) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_BYTES);
        putLongs(buffer, sums.confidenceHistogram);
        putLongs(buffer, sums.marginHistogram);
        putLongs(buffer, sums.entropyHistogram);
        putLongs(buffer, sums.binCounts);
        putDoubles(buffer, sums.binConfidenceSums);
        putLongs(buffer, sums.labelledCounts);
        putDoubles(buffer, sums.labelledConfidenceSums);
        putLongs(buffer, sums.correctCounts);

        byte[] packed = new byte[buffer.position()];
        buffer.flip().get(packed);
        return packed;
    }

    /**
     * Sets the arrays of {@code sums} from a packed value.
     *
     * @throws IllegalStateException when the value is truncated or has bytes left over
     */
    public static void unpack(byte[] packed, RollupSums sums) {
        ByteBuffer buffer = ByteBuffer.wrap(packed);
        try {
            getLongs(buffer, sums.confidenceHistogram);
            getLongs(buffer, sums.marginHistogram);
            getLongs(buffer, sums.entropyHistogram);
            getLongs(buffer, sums.binCounts);
            getDoubles(buffer, sums.binConfidenceSums);
            getLongs(buffer, sums.labelledCounts);
            getDoubles(buffer, sums.labelledConfidenceSums);
            getLongs(buffer, sums.correctCounts);
        } catch (java.nio.BufferUnderflowException e) {
            throw invalid(packed, "is truncated");
        }
        if (buffer.hasRemaining()) {
            throw invalid(packed, "has " + buffer.remaining() + " bytes after the last array");
        }
    }

    private static void putLongs(ByteBuffer buffer, long[] values) {
        long mask = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                mask |= 1L << i;
            }
        }
        buffer.putLong(mask);
        for (long value : values) {
            if (value != 0) {
                buffer.putLong(value);
            }
        }
    }

    /** Packs doubles as their IEEE 754 bits, with -0.0 as 0 so that it counts as an empty bin. */
    private static void putDoubles(ByteBuffer buffer, double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = values[i] == 0 ? 0 : Double.doubleToRawLongBits(values[i]);
        }
        putLongs(buffer, bits);
    }

    private static void getLongs(ByteBuffer buffer, long[] target) {
        long mask = buffer.getLong();
        for (int i = 0; i < target.length; i++) {
            target[i] = (mask & (1L << i)) != 0 ? buffer.getLong() : 0;
        }
    }

    private static void getDoubles(ByteBuffer buffer, double[] target) {
        long[] bits = new long[target.length];
        getLongs(buffer, bits);
        for (int i = 0; i < target.length; i++) {
            target[i] = Double.longBitsToDouble(bits[i]);
        }
    }

    private static IllegalStateException invalid(byte[] packed, String problem) {
        return new IllegalStateException("A packed rollup value of " + packed.length + " bytes " + problem
                + "; delete the model version's rows from analytics_rollup and analytics_rollup_pending and "
                + "restart Probity, which rebuilds them from the stored predictions");
    }
}
