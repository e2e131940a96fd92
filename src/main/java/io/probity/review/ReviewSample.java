package io.probity.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The random review sample, made deterministic per prediction so that a retried or replayed
 * ingestion makes the same choice.
 */
public final class ReviewSample {

    private ReviewSample() {
    }

    /**
     * Returns a number in [0, 1) that is uniform over prediction ids: the first 8 bytes of
     * SHA-256 of the UTF-8 text {@code model + "\n" + predictionId}, read as a big-endian
     * unsigned integer, keeping its top 53 bits and dividing by 2^53.
     */
    public static double uniform(String model, String predictionId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest((model + "\n" + predictionId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** Returns whether the prediction falls in a sample of the given fraction. */
    public static boolean isSampled(String model, String predictionId, double fraction) {
        return fraction > 0 && uniform(model, predictionId) < fraction;
    }
}
