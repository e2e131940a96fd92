-- Alert rules per model version, their current state, every state transition and every webhook
-- delivery attempt (io.probity.alerts).
--
-- A PUT of a version's rules deactivates the rules it drops and inserts the new ones. A rule sent
-- again unchanged keeps its row, so it keeps its state. Inactive rules stay so that their
-- transitions and deliveries remain readable.
CREATE TABLE alert_rule (
    id               bigserial        PRIMARY KEY,
    model_version_id bigint           NOT NULL REFERENCES model_version (id),
    metric           text             NOT NULL,
    comparison       text             NOT NULL CHECK (comparison IN ('above', 'below')),
    threshold        double precision NOT NULL,
    window_length    text             NOT NULL,
    min_count        integer          NOT NULL CHECK (min_count >= 0),
    webhook          text,
    active           boolean          NOT NULL DEFAULT true,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    created_by       text             NOT NULL
);
CREATE INDEX alert_rule_version ON alert_rule (model_version_id) WHERE active;

-- One row per rule. breaches counts consecutive evaluations on which the condition held.
CREATE TABLE alert_state (
    rule_id        bigint           PRIMARY KEY REFERENCES alert_rule (id),
    state          text             NOT NULL CHECK (state IN ('ok', 'pending', 'firing', 'resolved')),
    value          double precision,
    count          bigint,
    window_end     timestamptz,
    breaches       integer          NOT NULL DEFAULT 0,
    evaluated_at   timestamptz,
    changed_at     timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE alert_transition (
    id          bigserial        PRIMARY KEY,
    rule_id     bigint           NOT NULL REFERENCES alert_rule (id),
    from_state  text             NOT NULL,
    to_state    text             NOT NULL,
    value       double precision,
    window_end  timestamptz,
    reason      text             NOT NULL,
    at          timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX alert_transition_rule ON alert_transition (rule_id, at);

CREATE TABLE webhook_delivery (
    id            bigserial   PRIMARY KEY,
    transition_id bigint      NOT NULL REFERENCES alert_transition (id),
    url           text        NOT NULL,
    attempt       integer     NOT NULL,
    status_code   integer,
    error         text,
    succeeded     boolean     NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_delivery_transition ON webhook_delivery (transition_id, attempt);
