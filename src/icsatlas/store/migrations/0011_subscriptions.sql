-- Email subscriptions (issue 12): an address following an area or a function. An address is
-- kept only while it is subscribed (or for the hours its confirmation link lives); the
-- confirmation token as an HMAC-SHA256 under the server key, never itself. last_change_id is
-- the newest audit-log change already delivered (or judged not to concern the topic), so a
-- delivery run sends nothing twice and skips nothing after a failure.
CREATE TABLE subscription (
    subscription_id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    topic_kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    topic_name TEXT NOT NULL,
    page TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirm_digest TEXT,
    confirm_expires TIMESTAMP,
    confirmed_at TIMESTAMP,
    last_change_id BIGINT,
    UNIQUE (address, topic_kind, topic)
);
