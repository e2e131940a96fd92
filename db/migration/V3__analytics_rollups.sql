-- Hourly pre-aggregates of the prediction table, so that calibration, drift and time series read
-- a few thousand rows per week of data however many predictions there are.
--
-- There is one row per model version, UTC hour of event_time and top class of the effective
-- probability vector (-1 for predictions without a finite vector). A further row per version and
-- hour, with top_class -2, sums the others, so figures over all classes read one row per hour.
-- Ingestion adds to these rows in the same
-- transaction as its COPY, and the label path moves the labelled sums when a label arrives or
-- changes (io.probity.analytics.RollupStore).
--
-- Every array has 60 equal-width bins on [0, 1], which coarsen exactly to any divisor of 60
-- (10, 15, 20, 30, ...). Two bin conventions are kept because the API reports both:
--   *_histogram   NumPy histogram edges: bin j holds [j * (1.0/60), (j+1) * (1.0/60)), the last
--                 bin also 1.0 (io.probity.drift.Histogram).
--   bin_*, labelled_*, correct_counts  reliability edges: bin j holds (j/60, (j+1)/60], the first
--                 bin also 0 (io.probity.calibration.Binning).
CREATE TABLE analytics_rollup (
    model_version_id         bigint      NOT NULL REFERENCES model_version (id),
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
    nll_sum                  double precision NOT NULL,
    PRIMARY KEY (model_version_id, hour, top_class)
);

-- Element-wise sums of two arrays of equal length, for the upserts of analytics_rollup.
CREATE FUNCTION analytics_add(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) $$;

CREATE FUNCTION analytics_add(a double precision[], b double precision[]) RETURNS double precision[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) $$;

-- The baseline window of a model version, set by a user. Without a row the baseline is the first
-- 7 days after the version's first prediction hour.
CREATE TABLE analytics_baseline (
    model_version_id bigint      PRIMARY KEY REFERENCES model_version (id),
    baseline_from    timestamptz NOT NULL,
    baseline_to      timestamptz NOT NULL,
    updated_by       text        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT analytics_baseline_window CHECK (baseline_to > baseline_from)
);
