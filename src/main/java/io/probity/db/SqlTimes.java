package io.probity.db;

/** SQL fragments for timestamps that must contain exactly the microseconds Java computed. */
public final class SqlTimes {

    private SqlTimes() {
    }

    /**
     * Returns a SQL expression for the {@code timestamptz} that is {@code micros} microseconds after
     * the Unix epoch, where {@code micros} is a bigint column or expression. Text input would round a
     * value with nanoseconds, while the binary {@code COPY} of predictions truncates it, so writers
     * that must match a stored event time send microsecond counts.
     */
    public static String fromEpochMicros(String micros) {
        return "(timestamptz 'epoch' + (" + micros + " / 1000000) * interval '1 second' + (" + micros
                + " % 1000000) * interval '1 microsecond')";
    }
}
