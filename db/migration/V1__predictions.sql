-- Model versions: the class list is fixed at first sight; audit overrides are edited by users.
CREATE TABLE model_version (
    id                   bigserial PRIMARY KEY,
    model                text        NOT NULL,
    version              text        NOT NULL,
    classes              text[]      NOT NULL,
    temperature_override double precision CHECK (temperature_override > 0),
    tolerance_override   double precision CHECK (tolerance_override >= 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT model_version_unique UNIQUE (model, version)
);

-- One row per scored prediction. Class columns hold indexes into model_version.classes.
-- confidence, margin and entropy describe the effective probability vector: the softmax
-- recomputed from the logits when they are finite, otherwise the reported probabilities.
CREATE TABLE prediction (
    id               bigserial PRIMARY KEY,
    model            text             NOT NULL,
    model_version_id bigint           NOT NULL REFERENCES model_version (id),
    prediction_id    text             NOT NULL,
    event_time       timestamptz      NOT NULL,
    logits           double precision[],
    probabilities    double precision[],
    temperature      double precision NOT NULL,
    predicted_class  smallint,
    top_class        smallint,
    confidence       double precision,
    margin           double precision,
    entropy          double precision,
    sum_squares      double precision,
    label            smallint,
    label_probability double precision,
    label_source     text,
    labeled_at       timestamptz,
    verdict          text             NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail')),
    causes           text[]           NOT NULL,
    max_abs_diff     double precision,
    attributes       jsonb,
    ingested_at      timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT prediction_unique UNIQUE (model, prediction_id)
);

CREATE INDEX prediction_version_time ON prediction (model_version_id, event_time);
CREATE INDEX prediction_failed ON prediction (model_version_id, event_time) WHERE verdict <> 'pass';

-- First cut of the human review queue: predictions with low confidence or a failed audit.
CREATE TABLE review_item (
    id              bigserial PRIMARY KEY,
    prediction_pk   bigint      NOT NULL UNIQUE REFERENCES prediction (id) ON DELETE CASCADE,
    model_version_id bigint     NOT NULL REFERENCES model_version (id),
    reason          text        NOT NULL,
    state           text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    resolved_by     text,
    resolved_at     timestamptz,
    note            text
);

CREATE INDEX review_item_open ON review_item (state, created_at);
