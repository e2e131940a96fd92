package io.probity.analytics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * The key of one {@code analytics_rollup} row.
 *
 * @param hour the start of the UTC hour of the predictions' event time
 * @param topClass the top class of the effective vector, {@link #NO_VECTOR} without a finite vector,
 *     or {@link #ALL_CLASSES} for the row that sums the other rows of the hour
 */
public record RollupKey(long modelVersionId, Instant hour, int topClass) implements Comparable<RollupKey> {

    /** The top class stored for predictions without a finite probability vector. */
    public static final int NO_VECTOR = -1;

    /**
     * The top class of the row that sums every row of its version and hour, so that figures over all
     * classes read one row per hour instead of one per class.
     */
    public static final int ALL_CLASSES = -2;

    private static final Comparator<RollupKey> ORDER = Comparator.comparingLong(RollupKey::modelVersionId)
            .thenComparing(RollupKey::hour).thenComparingInt(RollupKey::topClass);

    /** Creates the key of a prediction, truncating its event time to the hour. */
    public static RollupKey of(long modelVersionId, Instant eventTime, int topClass) {
        return new RollupKey(modelVersionId, eventTime.truncatedTo(ChronoUnit.HOURS),
                topClass < 0 ? NO_VECTOR : topClass);
    }

    /** Returns the key of the row that sums all classes of this key's version and hour. */
    public RollupKey allClasses() {
        return new RollupKey(modelVersionId, hour, ALL_CLASSES);
    }

    /** Orders keys as the primary key does, which is also the order in which upserts lock rows. */
    @Override
    public int compareTo(RollupKey other) {
        return ORDER.compare(this, other);
    }
}
