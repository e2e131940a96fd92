-- Review routing rules, one immutable row per revision. Ingestion routes with the newest
-- revision of the prediction's model version; a version without a row uses the built-in
-- default (confidence below 0.6 or a failed audit, no random sample).
CREATE TABLE review_rule_set (
    id               bigserial PRIMARY KEY,
    model_version_id bigint           NOT NULL REFERENCES model_version (id),
    revision         integer          NOT NULL CHECK (revision >= 1),
    rules            jsonb            NOT NULL,
    sample_fraction  double precision NOT NULL CHECK (sample_fraction >= 0 AND sample_fraction <= 1),
    created_by       text             NOT NULL,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT review_rule_set_unique UNIQUE (model_version_id, revision)
);

-- Queue states: open (claimable), claimed (leased to claimed_by until lease_expires_at),
-- resolved (label stored), skipped (claimable by other reviewers), escalated (for ops).
-- decided_by and decided_at record the last resolve, skip or escalate.
-- inclusion_probability is the probability that routing sent the prediction to review:
-- 1 when a rule matched, the sample fraction when only the random sample did.
ALTER TABLE review_item RENAME COLUMN reason TO rule;
ALTER TABLE review_item RENAME COLUMN resolved_by TO decided_by;
ALTER TABLE review_item RENAME COLUMN resolved_at TO decided_at;
UPDATE review_item SET rule = CASE rule WHEN 'low-confidence' THEN 'confidenceBelow'
                                        WHEN 'audit-failed' THEN 'auditFailed'
                                        ELSE rule END;
ALTER TABLE review_item DROP CONSTRAINT review_item_state_check;
ALTER TABLE review_item ADD CONSTRAINT review_item_state_check
    CHECK (state IN ('open', 'claimed', 'resolved', 'skipped', 'escalated'));
ALTER TABLE review_item
    ADD COLUMN rule_set_revision     integer,
    ADD COLUMN priority              integer          NOT NULL DEFAULT 0,
    ADD COLUMN inclusion_probability double precision NOT NULL DEFAULT 1
        CHECK (inclusion_probability > 0 AND inclusion_probability <= 1),
    ADD COLUMN claimed_by            text,
    ADD COLUMN claimed_at            timestamptz,
    ADD COLUMN lease_expires_at      timestamptz,
    ADD COLUMN label                 smallint;

DROP INDEX review_item_open;
CREATE INDEX review_item_next ON review_item (priority DESC, created_at, id) WHERE state IN ('open', 'skipped');
CREATE INDEX review_item_state ON review_item (state, created_at);
CREATE INDEX review_item_lease ON review_item (lease_expires_at) WHERE state = 'claimed';

-- Weight of a review label in calibration figures: 1 / inclusion_probability of its review
-- item. Null for labels from ingestion or the labels API, which weigh 1.
ALTER TABLE prediction ADD COLUMN label_weight double precision CHECK (label_weight >= 1);

-- Append-only history of every queue action. before and after hold the item fields that the
-- action changed; a resolve also keeps the prediction's previous label so that undo can put it
-- back.
CREATE TABLE review_history (
    id        bigserial PRIMARY KEY,
    item_id   bigint      NOT NULL REFERENCES review_item (id),
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor     text        NOT NULL,
    action    text        NOT NULL,
    before    jsonb,
    after     jsonb       NOT NULL,
    note      text
);

CREATE INDEX review_history_item ON review_history (item_id, id);
CREATE INDEX review_history_actor ON review_history (at, actor);

CREATE FUNCTION review_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_history is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER review_history_no_change
    BEFORE UPDATE OR DELETE ON review_history
    FOR EACH STATEMENT EXECUTE FUNCTION review_history_append_only();
