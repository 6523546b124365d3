-- The agency's SQLite database, version 1. Instants are Unix seconds (UTC); money is integer
-- fen. Written with IF NOT EXISTS: databases made before versions were recorded already hold it.

CREATE TABLE IF NOT EXISTS units (
    id                  INTEGER PRIMARY KEY,
    unit_no             TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    uscc                TEXT NOT NULL,
    address             TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    legal_representative TEXT NOT NULL DEFAULT '',
    contact_person      TEXT NOT NULL DEFAULT '',
    contact_phone       TEXT NOT NULL DEFAULT '',
    bank_name           TEXT NOT NULL DEFAULT '',
    bank_account        TEXT NOT NULL DEFAULT '',
    card_public_key     BLOB NOT NULL,
    password_hash       TEXT NOT NULL,
    password_is_initial INTEGER NOT NULL,
    locked_until        INTEGER,
    -- The last change sequence number handed out for this unit's declarations.
    last_change_seq     INTEGER NOT NULL DEFAULT 0,
    opened_at           INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS login_failures (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_unit ON login_failures(unit_id, at);

-- Only a hash of each token is kept, so a copy of the database logs nobody in.
CREATE TABLE IF NOT EXISTS tokens (
    token_hash   BLOB PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    issued_at    INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tokens_by_unit ON tokens(unit_id);

CREATE TABLE IF NOT EXISTS login_challenges (
    id         TEXT PRIMARY KEY,
    unit_no    TEXT NOT NULL,
    nonce      BLOB NOT NULL,
    captcha    TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS declarations (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    idempotency_key TEXT NOT NULL,
    kind            TEXT NOT NULL,
    period          TEXT NOT NULL,
    state           TEXT NOT NULL,
    viewed          INTEGER NOT NULL DEFAULT 0,
    item_count      INTEGER NOT NULL,
    submitted_at    INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    change_seq      INTEGER NOT NULL,
    -- Two submissions with the same key, however concurrent, make one declaration.
    UNIQUE (unit_id, idempotency_key)
);
-- The changes feed reads this index from the cursor on, never the unit's whole history.
CREATE UNIQUE INDEX IF NOT EXISTS declarations_by_change ON declarations(unit_id, change_seq);
CREATE INDEX IF NOT EXISTS declarations_waiting ON declarations(state, submitted_at);

CREATE TABLE IF NOT EXISTS declaration_items (
    declaration_id INTEGER NOT NULL REFERENCES declarations(id),
    line           INTEGER NOT NULL,
    body           TEXT NOT NULL,
    outcome        TEXT,
    reason         TEXT,
    PRIMARY KEY (declaration_id, line)
) WITHOUT ROWID;

-- What the agency knows of a person, whichever unit declared them.
CREATE TABLE IF NOT EXISTS persons (
    document_type TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    name          TEXT NOT NULL,
    details       TEXT NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (document_type, document_no)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS persons_by_number ON persons(document_no);

-- A person is insured at one unit at a time.
CREATE TABLE IF NOT EXISTS roster (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    document_type   TEXT NOT NULL,
    document_no     TEXT NOT NULL,
    name            TEXT NOT NULL,
    declared_wage_fen   INTEGER NOT NULL,
    insurance_types TEXT NOT NULL,
    insured_from    TEXT NOT NULL,
    UNIQUE (document_type, document_no)
);
CREATE INDEX IF NOT EXISTS roster_by_unit ON roster(unit_id, id);

-- Months already settled; months not here are computed from the roster and owed.
CREATE TABLE IF NOT EXISTS dues (
    unit_id            INTEGER NOT NULL REFERENCES units(id),
    month              TEXT NOT NULL,
    insurance_type     TEXT NOT NULL,
    base_fen           INTEGER NOT NULL,
    unit_share_fen     INTEGER NOT NULL,
    personal_share_fen INTEGER NOT NULL,
    paid               INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, insurance_type)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS announcements (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS announcement_attachments (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    name            TEXT NOT NULL,
    content         BLOB NOT NULL,
    PRIMARY KEY (announcement_id, name)
) WITHOUT ROWID;

-- The audit trail of person look-ups (GET /persons/{id_number}): who asked about whom, when.
CREATE TABLE IF NOT EXISTS person_lookups (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    document_no TEXT NOT NULL,
    found       INTEGER NOT NULL
);
