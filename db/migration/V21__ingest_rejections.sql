-- Rejected ingest records per model, version, UTC hour and field (io.probity.ingest.RejectionCounter),
-- so that the alert metric rejectionRate can compare them with the accepted predictions of
-- analytics_rollup.
--
-- model and model_version are the values the record sent, '' when it sent none; the version need
-- not exist in model_version. hour is the UTC hour of the record's timestamp when it parsed,
-- otherwise of the time the request was received. field is the field of the record's first error,
-- without array indexes (logits[3] is stored as logits), so each rejected record is counted once.
-- sample_error is the message of the latest record counted in the row.
CREATE TABLE ingest_rejection_hourly (
    model         text        NOT NULL,
    model_version text        NOT NULL,
    hour          timestamptz NOT NULL,
    field         text        NOT NULL,
    rejected      bigint      NOT NULL CHECK (rejected > 0),
    sample_error  text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model, model_version, hour, field)
);
