-- 004: login sessions that survive a page refresh, and login throttling per client address
-- (analytics/sessions.py, analytics/accounts.py). Portable SQL: DuckDB and PostgreSQL accept every statement.
--
-- The browser holds an opaque random token in an HttpOnly cookie; only its SHA-256 hash is stored here, so a
-- copy of the database (a backup) cannot be used to take over a session.

CREATE TABLE sessions (
    session_id    VARCHAR PRIMARY KEY,      -- random, shown to administrators to end a session; not the token
    token_hash    VARCHAR NOT NULL UNIQUE,  -- hex SHA-256 of the cookie's token
    username      VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    ip            VARCHAR,                  -- client address at login
    user_agent    VARCHAR                   -- browser, cut to 300 characters
);

CREATE INDEX idx_sessions_username ON sessions (username);

-- Failed logins per client address (growing delay, then a temporary block); rows older than a day are purged.
CREATE TABLE login_clients (
    client           VARCHAR PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  TIMESTAMP NOT NULL,
    blocked_until    TIMESTAMP
);

-- The client address of each login attempt (throttled and blocked attempts are logged too).
ALTER TABLE login_events ADD COLUMN client VARCHAR;
