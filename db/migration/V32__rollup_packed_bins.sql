-- Stores the eight 60-bin arrays of every rollup row packed in one bytea column, bins. The layout
-- is that of io.probity.analytics.RollupBins. For each array in the order below, an 8-byte mask has
-- bit i set when bin i+1 is not zero, and those bins' values follow, 8 bytes each, big-endian.
--
-- Array input and output convert element by element (about 4 microseconds per 60-element array
-- to send, measured here), and the fold reads and writes thousands of rows a second under load.
-- Packed, a row is read and written without conversion, and rows of a single batch, whose bins
-- are mostly zero, take a fraction of their former 4 kB.
SET LOCAL TimeZone = 'UTC';

CREATE FUNCTION pg_temp.pack_bins(a bigint[]) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    mask   bigint := 0;
    packed bytea  := ''::bytea;
BEGIN
    FOR i IN 1 .. cardinality(a) LOOP
        IF a[i] <> 0 THEN
            mask := mask | (1::bigint << (i - 1));
            packed := packed || int8send(a[i]);
        END IF;
    END LOOP;
    RETURN int8send(mask) || packed;
END
$$;

CREATE FUNCTION pg_temp.pack_bins(a double precision[]) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    mask   bigint := 0;
    packed bytea  := ''::bytea;
BEGIN
    FOR i IN 1 .. cardinality(a) LOOP
        IF a[i] <> 0 THEN
            mask := mask | (1::bigint << (i - 1));
            packed := packed || float8send(a[i]);
        END IF;
    END LOOP;
    RETURN int8send(mask) || packed;
END
$$;

DROP VIEW analytics_rollup_all;

ALTER TABLE analytics_rollup ADD COLUMN bins bytea;
UPDATE analytics_rollup SET bins = pg_temp.pack_bins(confidence_histogram) || pg_temp.pack_bins(margin_histogram)
    || pg_temp.pack_bins(entropy_histogram) || pg_temp.pack_bins(bin_counts)
    || pg_temp.pack_bins(bin_confidence_sums) || pg_temp.pack_bins(labelled_counts)
    || pg_temp.pack_bins(labelled_confidence_sums) || pg_temp.pack_bins(correct_counts);
ALTER TABLE analytics_rollup
    ALTER COLUMN bins SET NOT NULL,
    DROP COLUMN confidence_histogram,
    DROP COLUMN margin_histogram,
    DROP COLUMN entropy_histogram,
    DROP COLUMN bin_counts,
    DROP COLUMN bin_confidence_sums,
    DROP COLUMN labelled_counts,
    DROP COLUMN labelled_confidence_sums,
    DROP COLUMN correct_counts;

ALTER TABLE analytics_rollup_pending ADD COLUMN bins bytea;
UPDATE analytics_rollup_pending SET bins = pg_temp.pack_bins(confidence_histogram)
    || pg_temp.pack_bins(margin_histogram) || pg_temp.pack_bins(entropy_histogram) || pg_temp.pack_bins(bin_counts)
    || pg_temp.pack_bins(bin_confidence_sums) || pg_temp.pack_bins(labelled_counts)
    || pg_temp.pack_bins(labelled_confidence_sums) || pg_temp.pack_bins(correct_counts);
ALTER TABLE analytics_rollup_pending
    ALTER COLUMN bins SET NOT NULL,
    DROP COLUMN confidence_histogram,
    DROP COLUMN margin_histogram,
    DROP COLUMN entropy_histogram,
    DROP COLUMN bin_counts,
    DROP COLUMN bin_confidence_sums,
    DROP COLUMN labelled_counts,
    DROP COLUMN labelled_confidence_sums,
    DROP COLUMN correct_counts;

-- At most 3,904 bytes, so a row fits in a page uncompressed. As for the arrays before (V30),
-- compression stays off: it cost more CPU than the smaller writes saved.
ALTER TABLE analytics_rollup ALTER COLUMN bins SET STORAGE PLAIN;
ALTER TABLE analytics_rollup_pending ALTER COLUMN bins SET STORAGE PLAIN;

-- The fold rewrites a row of the current hours on every pass. Free space in each page lets the
-- new version stay on the page (a HOT update), without a new index entry.
ALTER TABLE analytics_rollup SET (fillfactor = 50);

-- The element-wise additions are done in Java now (io.probity.analytics.RollupStore).
DROP FUNCTION analytics_add(bigint[], bigint[]);
DROP FUNCTION analytics_add(double precision[], double precision[]);

CREATE VIEW analytics_rollup_all AS
    SELECT model_version_id, hour, top_class, predictions, audit_failed, confidence_sum, bins, brier_sum, nll_sum
    FROM analytics_rollup
    UNION ALL
    SELECT model_version_id, hour, top_class, predictions, audit_failed, confidence_sum, bins, brier_sum, nll_sum
    FROM analytics_rollup_pending;
