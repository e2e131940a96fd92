package io.probity.analytics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollupBinsTest {

    @Test
    void emptySumsPackToMasks() {
        byte[] packed = RollupBins.pack(new RollupSums());

        assertEquals(64, packed.length, "eight 8-byte masks and no values");
        RollupSums read = new RollupSums();
        read.binCounts[3] = 9;
        RollupBins.unpack(packed, read);
        assertEquals(0, read.binCounts[3], "unpack overwrites every bin");
    }

    @Test
    void randomSumsRoundTrip() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            RollupSums sums = randomSums(random, random.nextDouble());

            RollupSums read = new RollupSums();
            RollupBins.unpack(RollupBins.pack(sums), read);

            assertArrayEquals(sums.confidenceHistogram, read.confidenceHistogram);
            assertArrayEquals(sums.marginHistogram, read.marginHistogram);
            assertArrayEquals(sums.entropyHistogram, read.entropyHistogram);
            assertArrayEquals(sums.binCounts, read.binCounts);
            assertArrayEquals(sums.binConfidenceSums, read.binConfidenceSums, 0.0);
            assertArrayEquals(sums.labelledCounts, read.labelledCounts);
            assertArrayEquals(sums.labelledConfidenceSums, read.labelledConfidenceSums, 0.0);
            assertArrayEquals(sums.correctCounts, read.correctCounts);
        }
    }

    @Test
    void fullSumsUseMaximumSize() {
        RollupSums sums = randomSums(new Random(3), 1.0);
        sums.binConfidenceSums[59] = Double.NaN;
        sums.correctCounts[0] = -4;

        byte[] packed = RollupBins.pack(sums);
        RollupSums read = new RollupSums();
        RollupBins.unpack(packed, read);

        assertEquals(RollupBins.MAX_BYTES, packed.length);
        assertTrue(Double.isNaN(read.binConfidenceSums[59]));
        assertEquals(-4, read.correctCounts[0], "negative sums from label moves are kept");
    }

    @Test
    void damagedValuesAreRejected() {
        byte[] packed = RollupBins.pack(randomSums(new Random(5), 0.5));

        IllegalStateException truncated = assertThrows(IllegalStateException.class,
                () -> RollupBins.unpack(Arrays.copyOf(packed, packed.length - 1), new RollupSums()));
        IllegalStateException longer = assertThrows(IllegalStateException.class,
                () -> RollupBins.unpack(Arrays.copyOf(packed, packed.length + 8), new RollupSums()));

        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        assertTrue(longer.getMessage().contains("8 bytes after"), longer.getMessage());
    }

    /** Sums whose bins are non-zero with probability {@code density}. */
    private static RollupSums randomSums(Random random, double density) {
        RollupSums sums = new RollupSums();
        for (int i = 0; i < RollupSums.FINE_BINS; i++) {
            sums.confidenceHistogram[i] = random.nextDouble() < density ? 1 + random.nextInt(1000) : 0;
            sums.marginHistogram[i] = random.nextDouble() < density ? 1 + random.nextInt(1000) : 0;
            sums.entropyHistogram[i] = random.nextDouble() < density ? 1 + random.nextInt(1000) : 0;
            sums.binCounts[i] = random.nextDouble() < density ? 1 + random.nextInt(1000) : 0;
            sums.binConfidenceSums[i] = random.nextDouble() < density ? random.nextDouble() * 100 : 0;
            sums.labelledCounts[i] = random.nextDouble() < density ? 1 + random.nextInt(1000) : 0;
            sums.labelledConfidenceSums[i] = random.nextDouble() < density ? random.nextDouble() * 100 : 0;
            sums.correctCounts[i] = random.nextDouble() < density ? 1 + random.nextInt(1000) : 0;
        }
        return sums;
    }
}
