-- Mutant: deleting a user is refused while it has roles, instead of removing them.
-- Users, roles and who has which role (SQLite).
--
-- The rules live in the database, not in application code: a constraint holds for
-- every client, every script and every hurried fix at 3 a.m.

CREATE TABLE IF NOT EXISTS users (
    -- INTEGER PRIMARY KEY is SQLite's row id: generated, increasing, never reused
    -- with AUTOINCREMENT (without it a deleted top id could come back).
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    -- SQLite ignores VARCHAR(50): only a CHECK makes the length a rule.
    username   TEXT NOT NULL UNIQUE CHECK (length(username) <= 50),
    -- COLLATE NOCASE makes the UNIQUE index compare emails regardless of letter case.
    email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS roles (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS user_roles (
    -- A user's role rows go with the user; a role still held by someone cannot go.
    user_id INTEGER NOT NULL REFERENCES users (id),
    role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    PRIMARY KEY (user_id, role_id)
);
