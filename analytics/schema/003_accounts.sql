-- 003: accounts, roles, login rate limiting and the login log (analytics/accounts.py).
-- Passwords are stored only as bcrypt hashes. Account changes are recorded as change sets (kind 'system').

CREATE SEQUENCE IF NOT EXISTS seq_login_event START 1;

CREATE TABLE users (
    username             VARCHAR PRIMARY KEY,
    password_hash        VARCHAR NOT NULL,     -- bcrypt ($2b$…), never the password
    role                 VARCHAR NOT NULL,     -- viewer (查看) / editor (录入) / admin (管理)
    display_name         VARCHAR,              -- e.g. 张科长; shown in the sidebar
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    created_at           TIMESTAMP NOT NULL,
    created_by           VARCHAR NOT NULL,
    password_changed_at  TIMESTAMP,
    last_login_at        TIMESTAMP
);

-- Failed logins per user name (also for names that do not exist, so probing is limited too).
CREATE TABLE login_attempts (
    username         VARCHAR PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  TIMESTAMP NOT NULL,
    locked_until     TIMESTAMP
);

-- Every login attempt, successful or not (no passwords).
CREATE TABLE login_events (
    event_id    BIGINT PRIMARY KEY,
    event_at    TIMESTAMP NOT NULL,
    username    VARCHAR NOT NULL,
    success     BOOLEAN NOT NULL,
    reason      VARCHAR                 -- ok / bad_password / unknown_user / locked / disabled / invalid_name
);
