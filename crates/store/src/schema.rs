//! The database schema and its migrations.
//!
//! Migrations only ever append: a released schema is never edited, and each released version
//! has a golden database file under `tests/golden` that the tests open and migrate.

use rusqlite_migration::{M, Migrations};

/// Version 1: the first released schema.
const V1: &str = r#"
-- The unit this store belongs to, as the agency last described it (GET /unit).
CREATE TABLE unit (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    unit_no     TEXT NOT NULL,
    name        TEXT,
    uscc        TEXT,
    record      TEXT,               -- JSON of GET /unit, NULL until fetched
    updated_at  TEXT NOT NULL
);

-- Items keyed in (or imported) and not yet submitted; one row per person.
CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('hire','leave','wage','unit_change','person_change')),
    period      TEXT NOT NULL,      -- YYYY-MM
    item        TEXT NOT NULL,      -- JSON of the wire item
    problems    TEXT,               -- JSON list of the agency's objections, NULL if none
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX drafts_by_kind ON drafts (kind, period, id);

-- Every declaration from the moment submission was requested ("queued") to its outcome.
CREATE TABLE declarations (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT NOT NULL UNIQUE,   -- uuid v4, chosen when the row was created
    remote_id        TEXT UNIQUE,            -- the agency's id, once it accepted it
    kind             TEXT NOT NULL,
    period           TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN
                       ('queued','submitted','processing','succeeded','failed','partly_succeeded')),
    viewed           INTEGER NOT NULL DEFAULT 0,
    viewed_unsent    INTEGER NOT NULL DEFAULT 0,  -- marked viewed here, agency not told yet
    item_count       INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    submitted_at     TEXT,
    updated_at       TEXT NOT NULL
);
-- The home page counts only what is not yet viewed, and a sync looks only for viewed marks
-- not yet sent: partial indexes keep both small however long the unit's history.
CREATE INDEX declarations_unviewed ON declarations (state) WHERE viewed = 0;
CREATE INDEX declarations_viewed_unsent ON declarations (id) WHERE viewed_unsent = 1;
CREATE INDEX declarations_by_state ON declarations (state, id);

-- The items of each declaration, with the agency's per-item result.
CREATE TABLE declaration_items (
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    line            INTEGER NOT NULL,       -- 1-based position in the declaration
    item            TEXT,                   -- JSON of the wire item; NULL if sent from elsewhere
    outcome         TEXT CHECK (outcome IN ('ok','failed')),
    reason          TEXT,
    PRIMARY KEY (declaration_id, line)
) WITHOUT ROWID;

-- Declarations waiting to be sent; the row goes away in the transaction that records the 201.
CREATE TABLE outbox (
    declaration_id  INTEGER PRIMARY KEY REFERENCES declarations (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    queued_at       TEXT NOT NULL
);

-- Cached agency data, each replaced whole when fetched.
CREATE TABLE reference_data (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     TEXT NOT NULL,
    body        TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);
CREATE TABLE roster (
    position    INTEGER PRIMARY KEY,
    document_no TEXT,
    body        TEXT NOT NULL
);
CREATE INDEX roster_by_document ON roster (document_no);
CREATE TABLE dues (
    month           TEXT NOT NULL,
    insurance_type  TEXT NOT NULL,
    body            TEXT NOT NULL,
    PRIMARY KEY (month, insurance_type)
) WITHOUT ROWID;
CREATE TABLE announcements (
    id            TEXT PRIMARY KEY,
    published_at  TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL      -- JSON of the announcement as the agency sent it
) WITHOUT ROWID;

-- Small named values: the changes-feed cursor, the last successful sync, …
CREATE TABLE sync_state (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// Every migration, oldest first.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(V1)])
}

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
