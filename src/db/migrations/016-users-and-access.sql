-- Teams and clients (issue 16): user accounts, their sessions and second factor, API keys, share links
-- and the audit log, all in one migration so the issue's later work needs no further schema change.
-- Secrets a person or a script presents (session tokens, recovery codes, API keys, share-link tokens)
-- are stored only as SHA-256 hex digests of 32 random bytes; passwords only as scrypt strings
-- (src/auth/password.ts). Times are ISO-8601 UTC strings, as everywhere else.

-- A person who logs in. The e-mail is the login name: the code stores it trimmed and lower-cased
-- (src/auth/users.ts), and NOCASE keeps "Anna@Studio.example" from being added twice even if something
-- bypasses that. `language` is the dashboard language the person chose (NULL: the browser's).
-- `password_hash` is self-describing ("scrypt$N$r$p$salt$hash"), so parameters can change later.
-- `admin` sees and manages everything; `editor` and `viewer` see only the sites in user_sites.
-- A disabled user keeps their rows (audit log, who made a share link) but cannot log in.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (email LIKE '%_@_%'),
  display_name  TEXT NOT NULL DEFAULT '',
  language      TEXT,
  password_hash TEXT NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  created_at    TEXT NOT NULL,
  disabled_at   TEXT
);

-- The sites an editor or viewer is granted (admins need no rows: they have all sites).
CREATE TABLE user_sites (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, site_id)
) WITHOUT ROWID;
CREATE INDEX user_sites_by_site ON user_sites (site_id);

-- Logged-in browsers. The cookie holds a random token; only its SHA-256 is here, so a copy of the
-- database opens no session. A session ends at whichever comes first: `idle_expires_at` (pushed on as
-- the person uses it) or `absolute_expires_at` (fixed at login). `stage` 'totp' is the short-lived
-- half-way state between a right password and the second factor: it opens nothing but the code form,
-- and is replaced by a fresh 'full' session (a new token) once the code is right. `ip` and
-- `user_agent` are for the "where you are logged in" list on the Account page.
CREATE TABLE sessions (
  id                  INTEGER PRIMARY KEY,
  token_hash          TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  user_id             INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  stage               TEXT NOT NULL DEFAULT 'full' CHECK (stage IN ('full', 'totp')),
  created_at          TEXT NOT NULL,
  last_seen_at        TEXT NOT NULL,
  idle_expires_at     TEXT NOT NULL,
  absolute_expires_at TEXT NOT NULL,
  ip                  TEXT,
  user_agent          TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- TOTP second factor (RFC 6238). The secret has to be readable to compute codes, so it is stored as
-- is (base32). `enabled_at` is NULL while enrolment waits for the first right code. `last_step` is the
-- 30-second step of the last accepted code: a code is accepted only for a later step (no replay).
CREATE TABLE totp (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  enabled_at TEXT,
  last_step  INTEGER
);

-- One-time recovery codes for a lost authenticator: ten per enrolment, shown once, stored hashed;
-- `used_at` is set when one is spent.
CREATE TABLE recovery_codes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
  created_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- API keys (sent as "Authorization: Bearer pw_…"). `prefix` is the key's first characters, shown so a
-- person can tell keys apart; the whole key is shown once at creation and only its hash is kept.
-- `scope` 'write' includes reading. A key acts as its user, never beyond the user's own sites; rows in
-- api_key_sites narrow it further (none: all the user's sites).
CREATE TABLE api_keys (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL DEFAULT '',
  prefix       TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  expires_at   TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_keys_by_user ON api_keys (user_id);
CREATE TABLE api_key_sites (
  key_id  INTEGER NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, site_id)
) WITHOUT ROWID;

-- Read-only links for someone without an account: one site's dashboard (report_id NULL) or one
-- report. Only the token's hash is kept. `created_by` survives as NULL if the user is removed, and
-- `created_by_email` keeps who it was for the list ("made by … on …").
CREATE TABLE share_links (
  id               INTEGER PRIMARY KEY,
  token_hash       TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  site_id          INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  report_id        INTEGER REFERENCES reports(id) ON DELETE CASCADE,
  label            TEXT NOT NULL DEFAULT '',
  created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_by_email TEXT,
  created_at       TEXT NOT NULL,
  expires_at       TEXT,
  revoked_at       TEXT,
  last_used_at     TEXT
);
CREATE INDEX share_links_by_site ON share_links (site_id);

-- Who changed what and when. `actor` is written out as it was at the time (an e-mail, "key pw_ab12…",
-- "cli", "system"), so the log still reads after a user or key is removed; the ids link while they
-- exist. `action` is a stable English name ("user.add", "keyword.remove"); `details` is JSON.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
  api_key_id  INTEGER REFERENCES api_keys(id) ON DELETE SET NULL,
  action      TEXT NOT NULL,
  site_id     INTEGER REFERENCES sites(id) ON DELETE SET NULL,
  target_type TEXT,
  target_id   TEXT,
  details     TEXT CHECK (details IS NULL OR json_valid(details))
);
CREATE INDEX audit_log_by_time ON audit_log (at);
