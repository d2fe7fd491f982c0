-- A correct alternative for SQLite: an expression index instead of COLLATE NOCASE,
-- VARCHAR plus CHECK, a trigger-free design, and no AUTOINCREMENT.
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username VARCHAR(50) NOT NULL CHECK (length(username) BETWEEN 1 AND 50),
    email VARCHAR(254) NOT NULL,
    created_at TIMESTAMP DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS users_username ON users (username);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (lower(email));
CREATE TABLE IF NOT EXISTS roles (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    CONSTRAINT roles_name_unique UNIQUE (name)
);
CREATE TABLE IF NOT EXISTS user_roles (
    user_id INTEGER NOT NULL,
    role_id INTEGER NOT NULL,
    CONSTRAINT user_roles_pk PRIMARY KEY (user_id, role_id),
    CONSTRAINT user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT user_roles_role FOREIGN KEY (role_id) REFERENCES roles (id)
);
