-- Users of the UI and the REST API (HTTP Basic). Roles include each other in the order
-- analyst < reviewer < ops < admin; models NULL means every model.
CREATE TABLE app_user (
    id            bigserial PRIMARY KEY,
    name          text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL,
    models        text[],
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- API keys created by admins. Only the SHA-256 digest of the secret is stored; the secret is
-- shown once. Scopes: ingest, labels, read. models NULL means every model.
CREATE TABLE api_key (
    id            bigserial PRIMARY KEY,
    name          text        NOT NULL,
    secret_sha256 bytea       NOT NULL UNIQUE,
    secret_prefix text        NOT NULL,
    scopes        text[]      NOT NULL,
    models        text[],
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    revoked_by    text
);

-- Append-only log of security-relevant events: logins, user and key changes, rule and
-- tolerance changes. The trigger below rejects every UPDATE and DELETE.
CREATE TABLE security_event (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text,
    source  text,
    action  text        NOT NULL,
    target  text,
    details jsonb
);

CREATE INDEX security_event_at ON security_event (at DESC);

CREATE FUNCTION security_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER security_event_no_change BEFORE UPDATE OR DELETE ON security_event
    FOR EACH ROW EXECUTE FUNCTION security_event_append_only();
