-- A correct alternative for SQLite (3.37+): STRICT tables, so every column's type is
-- enforced like on a server database, a WITHOUT ROWID link table clustered on its
-- composite key, named table-level constraints, case-insensitive email uniqueness
-- through the collation of a separate unique index (the column itself keeps binary
-- comparisons), and an index on user_roles (role_id) so that the "role still in
-- use?" check of a role delete does not scan every grant.
CREATE TABLE IF NOT EXISTS users (
    id         INTEGER PRIMARY KEY,
    username   TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    CONSTRAINT users_username_length CHECK (length(username) <= 50),
    CONSTRAINT users_username_unique UNIQUE (username)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS users_email_nocase ON users (email COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS roles (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    CONSTRAINT roles_name_unique UNIQUE (name)
) STRICT;

CREATE TABLE IF NOT EXISTS user_roles (
    user_id INTEGER NOT NULL,
    role_id INTEGER NOT NULL,
    CONSTRAINT user_roles_pk PRIMARY KEY (user_id, role_id),
    CONSTRAINT user_roles_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT user_roles_role FOREIGN KEY (role_id)
        REFERENCES roles (id) ON UPDATE RESTRICT ON DELETE RESTRICT
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_roles_by_role ON user_roles (role_id);
