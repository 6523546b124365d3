-- The kind of key each unit's card holds: SM2 (the card profile) or ECDSA P-256 (a PKCS#11
-- token). Units opened before this column existed hold SM2 cards.
ALTER TABLE units ADD COLUMN card_key_algorithm TEXT NOT NULL DEFAULT 'sm2'
    CHECK (card_key_algorithm IN ('sm2', 'ecdsa-p256'));
