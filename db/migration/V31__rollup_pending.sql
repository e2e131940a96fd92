-- Rollup sums that ingestion has committed but not yet added to analytics_rollup.
--
-- Concurrent batches of live traffic all add to the current hour's rollup rows. As upserts in the
-- ingestion transaction they waited for each other's row locks and rewrote the same rows many times
-- a second. Ingestion now appends its sums here with plain inserts, which take no lock that another
-- batch waits for. A background fold (io.probity.analytics.RollupFolder) moves them into
-- analytics_rollup in one transaction: it deletes the pending rows, sums them per key and upserts
-- the totals, so each rollup row is rewritten once per fold instead of once per batch.
--
-- Rows have the columns of analytics_rollup, including the all-classes rows (top_class -2), and
-- several rows may share a key. Readers use analytics_rollup_all, whose rows they sum per key. One
-- SELECT of the view reads either a pending row or the rollup it was folded into, never both.
CREATE TABLE analytics_rollup_pending (
    id                       bigserial   PRIMARY KEY,
    model_version_id         bigint      NOT NULL,
    hour                     timestamptz NOT NULL,
    top_class                smallint    NOT NULL,
    predictions              bigint      NOT NULL,
    audit_failed             bigint      NOT NULL,
    confidence_sum           double precision NOT NULL,
    confidence_histogram     bigint[]    NOT NULL,
    margin_histogram         bigint[]    NOT NULL,
    entropy_histogram        bigint[]    NOT NULL,
    bin_counts               bigint[]    NOT NULL,
    bin_confidence_sums      double precision[] NOT NULL,
    labelled_counts          bigint[]    NOT NULL,
    labelled_confidence_sums double precision[] NOT NULL,
    correct_counts           bigint[]    NOT NULL,
    brier_sum                double precision NOT NULL,
    nll_sum                  double precision NOT NULL
);

-- As in analytics_rollup, the arrays stay uncompressed in the row: compressing 4 kB per row cost
-- more CPU than it saved in writes.
ALTER TABLE analytics_rollup_pending
    ALTER COLUMN confidence_histogram SET STORAGE PLAIN,
    ALTER COLUMN margin_histogram SET STORAGE PLAIN,
    ALTER COLUMN entropy_histogram SET STORAGE PLAIN,
    ALTER COLUMN bin_counts SET STORAGE PLAIN,
    ALTER COLUMN bin_confidence_sums SET STORAGE PLAIN,
    ALTER COLUMN labelled_counts SET STORAGE PLAIN,
    ALTER COLUMN labelled_confidence_sums SET STORAGE PLAIN,
    ALTER COLUMN correct_counts SET STORAGE PLAIN;

CREATE INDEX analytics_rollup_pending_key ON analytics_rollup_pending (model_version_id, hour, top_class);

CREATE VIEW analytics_rollup_all AS
    SELECT model_version_id, hour, top_class, predictions, audit_failed, confidence_sum, confidence_histogram,
           margin_histogram, entropy_histogram, bin_counts, bin_confidence_sums, labelled_counts,
           labelled_confidence_sums, correct_counts, brier_sum, nll_sum
    FROM analytics_rollup
    UNION ALL
    SELECT model_version_id, hour, top_class, predictions, audit_failed, confidence_sum, confidence_histogram,
           margin_histogram, entropy_histogram, bin_counts, bin_confidence_sums, labelled_counts,
           labelled_confidence_sums, correct_counts, brier_sum, nll_sum
    FROM analytics_rollup_pending;
