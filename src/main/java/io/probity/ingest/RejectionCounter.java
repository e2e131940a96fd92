package io.probity.ingest;

import io.agroal.api.AgroalDataSource;
import io.probity.api.FieldError;
import io.probity.ops.IngestMetrics;
import io.probity.security.Principal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds the rejected records of one ingestion call to {@code ingest_rejection_hourly}, with one
 * upsert statement, for the alert metric {@code rejectionRate}.
 *
 * <p>A record is counted once, under the field of its first error, for the model and version it
 * sent ('' when it sent none) and the UTC hour of its timestamp, or of {@code receivedAt} when the
 * timestamp is missing or does not parse. Records rejected because the caller may not write their
 * model are not counted, so a key limited to one model cannot raise another model's rejection
 * rate. A request sent again counts its rejected records again, because they have no stored key.
 */
@ApplicationScoped
class RejectionCounter {

    private static final Logger LOG = Logger.getLogger(RejectionCounter.class);
    /** Bounds of the event times used as they are, because timestamptz cannot store every Instant. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:00:00Z");
    /**
     * The maximum characters of a stored model or version name, so that a key stays below the
     * PostgreSQL B-tree limit of about 2,700 bytes per index entry.
     */
    static final int MAX_NAME_CHARS = 200;
    /** The maximum characters of a stored sample error; a bad value can make a message very long. */
    static final int MAX_ERROR_CHARS = 1000;

    /**
     * Rows are inserted in key order, so concurrent requests lock the rows they share in the same
     * order instead of waiting on each other in a cycle.
     */
    static final String UPSERT = "INSERT INTO ingest_rejection_hourly AS r "
            + "(model, model_version, hour, field, rejected, sample_error) "
            + "SELECT model, model_version, hour::timestamptz, field, rejected, sample_error "
            + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) WITH ORDINALITY "
            + "AS t (model, model_version, hour, field, rejected, sample_error, position) ORDER BY position "
            + "ON CONFLICT (model, model_version, hour, field) DO UPDATE SET rejected = r.rejected + EXCLUDED.rejected, "
            + "sample_error = EXCLUDED.sample_error, updated_at = now()";

    private record Key(String model, String version, Instant hour, String field) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::model).thenComparing(Key::version)
                .thenComparing(Key::hour).thenComparing(Key::field);
    }

    private static final class Count {
        long rejected;
        String sampleError;
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Counts the records of a request that have errors. A failure is logged and not thrown,
     * because the accepted records of the request are already committed.
     */
    void count(List<IncomingPrediction> records, Principal caller, Instant receivedAt) {
        Map<Key, Count> counts = new TreeMap<>(Key.ORDER);
        for (IncomingPrediction record : records) {
            if (record.errors.isEmpty() || record.model != null && !caller.mayAccessModel(record.model)) {
                continue;
            }
            FieldError first = record.errors.get(0);
            Key key = new Key(clip(record.model, MAX_NAME_CHARS), clip(record.modelVersion, MAX_NAME_CHARS),
                    hourOf(record.timestamp, receivedAt), IngestMetrics.baseField(first.field()));
            Count count = counts.computeIfAbsent(key, k -> new Count());
            count.rejected++;
            count.sampleError = clip(first.field() + " " + first.message(), MAX_ERROR_CHARS);
        }
        if (counts.isEmpty()) {
            return;
        }

        int size = counts.size();
        String[] models = new String[size];
        String[] versions = new String[size];
        String[] hours = new String[size];
        String[] fields = new String[size];
        Long[] rejected = new Long[size];
        String[] samples = new String[size];
        int i = 0;
        for (Map.Entry<Key, Count> entry : counts.entrySet()) {
            models[i] = entry.getKey().model();
            versions[i] = entry.getKey().version();
            hours[i] = entry.getKey().hour().toString();
            fields[i] = entry.getKey().field();
            rejected[i] = entry.getValue().rejected;
            samples[i] = entry.getValue().sampleError;
            i++;
        }

        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setArray(1, connection.createArrayOf("text", models));
            upsert.setArray(2, connection.createArrayOf("text", versions));
            upsert.setArray(3, connection.createArrayOf("text", hours));
            upsert.setArray(4, connection.createArrayOf("text", fields));
            upsert.setArray(5, connection.createArrayOf("bigint", rejected));
            upsert.setArray(6, connection.createArrayOf("text", samples));
            upsert.executeUpdate();
        } catch (SQLException e) {
            LOG.errorf(e, "Failed to store the counts of %d rejected records of caller %s in "
                    + "ingest_rejection_hourly; the rejectionRate alerts miss them", rejectedTotal(counts),
                    caller.name());
        }
    }

    /** Returns the UTC hour of a record's timestamp, or of {@code receivedAt} when it has no usable one. */
    static Instant hourOf(String timestamp, Instant receivedAt) {
        Instant time = receivedAt;
        if (timestamp != null) {
            try {
                Instant parsed = EventTimeParser.parse(timestamp);
                if (!parsed.isBefore(EARLIEST) && !parsed.isAfter(LATEST)) {
                    time = parsed;
                }
            } catch (DateTimeParseException e) {
                // The record's own error names the timestamp; the received time is used instead.
            }
        }
        return time.truncatedTo(ChronoUnit.HOURS);
    }

    private static long rejectedTotal(Map<Key, Count> counts) {
        return counts.values().stream().mapToLong(c -> c.rejected).sum();
    }

    /**
     * Returns the text cut to {@code maxChars} characters, with NUL characters replaced by U+FFFD
     * because PostgreSQL text cannot contain them, and '' for null.
     */
    static String clip(String value, int maxChars) {
        if (value == null) {
            return "";
        }
        String text = value.replace('\u0000', '\uFFFD');
        if (text.length() <= maxChars) {
            return text;
        }
        int end = text.offsetByCodePoints(0, text.codePointCount(0, maxChars));
        return text.substring(0, end);
    }
}
