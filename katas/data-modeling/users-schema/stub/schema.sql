-- Users, roles and who has which role.
--
-- Write the tables here. `kata check` runs this file on a fresh SQLite database
-- (twice: it must run again without error), then inserts and deletes rows and
-- expects the database itself to accept or refuse them.
-- `kata check --db postgresql` runs it on PostgreSQL instead.

-- TODO: users(id, username, email, created_at)
--   id          an auto-generated integer primary key
--   username    required, unique, at most 50 characters
--   email       required, unique regardless of letter case
--   created_at  defaults to the current timestamp

-- TODO: roles(id, name): name required and unique

-- TODO: user_roles(user_id, role_id): the pair is the primary key;
--   deleting a user deletes its user_roles rows;
--   deleting a role still in use is refused.
