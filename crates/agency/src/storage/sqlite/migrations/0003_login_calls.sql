-- Login calls counted per client address and per unit number, in fixed windows, so that the
-- limits hold for every server process that shares this database.
CREATE TABLE IF NOT EXISTS login_calls (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    calls        INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS login_calls_by_window ON login_calls(scope, window_start);
