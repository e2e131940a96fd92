-- The delivery queue of alert webhooks (io.probity.alerts.WebhookOutbox). A row is inserted in
-- the same transaction as the alert transition it notifies, so a stored transition always has its
-- notification queued, and the queue survives restarts. webhook_delivery keeps one row per attempt.
--
-- Workers of every instance take due rows with SELECT ... FOR UPDATE SKIP LOCKED and set a lease
-- (locked_until, lease_id) before sending, so two workers never send the same row at once. A
-- worker that stops while sending leaves the lease to expire, and then another worker sends the
-- row again. body is the exact JSON that is sent and signed.
CREATE TABLE webhook_outbox (
    id              bigserial   PRIMARY KEY,
    transition_id   bigint      NOT NULL UNIQUE REFERENCES alert_transition (id),
    url             text        NOT NULL,
    body            bytea       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    lease_id        uuid,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, id) WHERE state = 'pending';
