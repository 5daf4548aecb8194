-- Accounts (issue 12): people who may change the register, within their scopes, and the
-- tokens they hold (API tokens and portal sessions). Secrets are never stored: a password as
-- its argon2 hash, a token as an HMAC-SHA256 under the workspace's server key.
CREATE TABLE account_user (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    scopes TEXT NOT NULL,
    password_hash TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE account_token (
    token_id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
