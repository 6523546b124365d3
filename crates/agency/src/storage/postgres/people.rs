//! People, rosters and look-ups on PostgreSQL. The effects of a declaration are written one
//! statement per kind of change, whatever the number of people.

use deadpool_postgres::GenericClient;

use super::{execute, row, rows};
use crate::processing::{Facts, Wanted};
use crate::storage::{PersonKey, PersonRecord, RosterEntry, StorageError, types_from_stored};

fn columns(keys: &[&PersonKey]) -> (Vec<String>, Vec<String>) {
    keys.iter()
        .map(|k| (k.document_type.clone(), k.document_no.clone()))
        .unzip()
}

/// Stores (or replaces) what the agency knows of these people.
pub async fn remember(
    client: &impl GenericClient,
    persons: &[PersonRecord],
    now: i64,
) -> Result<(), StorageError> {
    if persons.is_empty() {
        return Ok(());
    }
    let (types, numbers) = columns(&persons.iter().map(|p| &p.key).collect::<Vec<_>>());
    let names: Vec<&str> = persons.iter().map(|p| p.name.as_str()).collect();
    let details: Vec<&str> = persons.iter().map(|p| p.details.as_str()).collect();
    execute(
        client,
        "INSERT INTO persons (document_type, document_no, name, details, updated_at) \
         SELECT document_type, document_no, name, details, $5 \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) \
              AS p(document_type, document_no, name, details) \
         ON CONFLICT (document_type, document_no) DO UPDATE SET \
         name = excluded.name, details = excluded.details, updated_at = excluded.updated_at",
        &[&types, &numbers, &names, &details, &now],
    )
    .await?;
    Ok(())
}

pub async fn person(
    client: &impl GenericClient,
    document_no: &str,
) -> Result<Option<(String, String)>, StorageError> {
    row(
        client,
        "SELECT document_type, details FROM persons WHERE document_no = $1 \
         ORDER BY updated_at DESC LIMIT 1",
        &[&document_no],
    )
    .await?
    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
    .transpose()
}

pub async fn audit_lookup(
    client: &impl GenericClient,
    unit_id: i64,
    document_no: &str,
    found: bool,
    now: i64,
) -> Result<(), StorageError> {
    execute(
        client,
        "INSERT INTO person_lookups (at, unit_id, document_no, found) VALUES ($1, $2, $3, $4)",
        &[&now, &unit_id, &document_no, &found],
    )
    .await?;
    Ok(())
}

/// What the rules want to know of these people, in two queries.
pub async fn facts(client: &impl GenericClient, wanted: &Wanted) -> Result<Facts, StorageError> {
    let mut facts = Facts::default();
    if !wanted.roster.is_empty() {
        let (types, numbers) = columns(&wanted.roster.iter().collect::<Vec<_>>());
        for row in rows(
            client,
            "SELECT r.document_type, r.document_no, r.unit_id FROM roster r \
             JOIN unnest($1::text[], $2::text[]) AS k(document_type, document_no) \
               ON r.document_type = k.document_type AND r.document_no = k.document_no",
            &[&types, &numbers],
        )
        .await?
        {
            let key = PersonKey {
                document_type: row.try_get(0)?,
                document_no: row.try_get(1)?,
            };
            facts.insured_at.insert(key, row.try_get(2)?);
        }
    }
    if !wanted.details.is_empty() {
        for row in rows(
            client,
            "SELECT DISTINCT ON (document_no) document_no, document_type, details FROM persons \
             WHERE document_no = ANY($1) ORDER BY document_no, updated_at DESC",
            &[&wanted.details],
        )
        .await?
        {
            facts
                .details
                .insert(row.try_get(0)?, (row.try_get(1)?, row.try_get(2)?));
        }
    }
    Ok(facts)
}

/// Puts these people on a unit's roster, moving them from any other unit; with `only_new`,
/// only those on no roster. Answers how many rows were written.
pub async fn enrol(
    client: &impl GenericClient,
    unit_id: i64,
    entries: &[RosterEntry],
    only_new: bool,
) -> Result<u64, StorageError> {
    if entries.is_empty() {
        return Ok(0);
    }
    let types: Vec<&str> = entries.iter().map(|e| e.document_type.as_str()).collect();
    let numbers: Vec<&str> = entries.iter().map(|e| e.document_no.as_str()).collect();
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let wages: Vec<i64> = entries.iter().map(|e| e.declared_wage_fen).collect();
    let insurance: Vec<String> = entries.iter().map(RosterEntry::stored_types).collect();
    let from: Vec<&str> = entries.iter().map(|e| e.insured_from.as_str()).collect();
    let on_conflict = if only_new {
        "DO NOTHING"
    } else {
        "DO UPDATE SET unit_id = excluded.unit_id, name = excluded.name, \
         declared_wage_fen = excluded.declared_wage_fen, \
         insurance_types = excluded.insurance_types, insured_from = excluded.insured_from"
    };
    let sql = format!(
        "INSERT INTO roster (unit_id, document_type, document_no, name, declared_wage_fen, \
         insurance_types, insured_from) \
         SELECT $1, document_type, document_no, name, wage, insurance, insured_from \
         FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[]) \
              AS e(document_type, document_no, name, wage, insurance, insured_from) \
         ON CONFLICT (document_type, document_no) {on_conflict}"
    );
    execute(
        client,
        &sql,
        &[
            &unit_id, &types, &numbers, &names, &wages, &insurance, &from,
        ],
    )
    .await
}

/// Takes these people off a unit's roster; answers how many were on it.
pub async fn leave(
    client: &impl GenericClient,
    unit_id: i64,
    keys: &[PersonKey],
) -> Result<u64, StorageError> {
    if keys.is_empty() {
        return Ok(0);
    }
    let (types, numbers) = columns(&keys.iter().collect::<Vec<_>>());
    execute(
        client,
        "DELETE FROM roster r USING unnest($2::text[], $3::text[]) AS k(document_type, document_no) \
         WHERE r.unit_id = $1 AND r.document_type = k.document_type \
           AND r.document_no = k.document_no",
        &[&unit_id, &types, &numbers],
    )
    .await
}

/// Sets declared wages (fen) on a unit's roster; answers how many rows it found.
pub async fn set_declared_wages(
    client: &impl GenericClient,
    unit_id: i64,
    wages: &[(PersonKey, i64)],
) -> Result<u64, StorageError> {
    if wages.is_empty() {
        return Ok(0);
    }
    let (types, numbers) = columns(&wages.iter().map(|(k, _)| k).collect::<Vec<_>>());
    let fen: Vec<i64> = wages.iter().map(|(_, w)| *w).collect();
    execute(
        client,
        "UPDATE roster r SET declared_wage_fen = w.fen \
         FROM unnest($2::text[], $3::text[], $4::bigint[]) AS w(document_type, document_no, fen) \
         WHERE r.unit_id = $1 AND r.document_type = w.document_type \
           AND r.document_no = w.document_no",
        &[&unit_id, &types, &numbers, &fen],
    )
    .await
}

/// Renames people on a unit's roster; answers how many rows it found.
pub async fn rename(
    client: &impl GenericClient,
    unit_id: i64,
    renames: &[(PersonKey, String)],
) -> Result<u64, StorageError> {
    if renames.is_empty() {
        return Ok(0);
    }
    let (types, numbers) = columns(&renames.iter().map(|(k, _)| k).collect::<Vec<_>>());
    let names: Vec<&str> = renames.iter().map(|(_, n)| n.as_str()).collect();
    execute(
        client,
        "UPDATE roster r SET name = n.name \
         FROM unnest($2::text[], $3::text[], $4::text[]) AS n(document_type, document_no, name) \
         WHERE r.unit_id = $1 AND r.document_type = n.document_type \
           AND r.document_no = n.document_no",
        &[&unit_id, &types, &numbers, &names],
    )
    .await
}

pub async fn roster_page(
    client: &impl GenericClient,
    unit_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, RosterEntry)>, StorageError> {
    rows(
        client,
        "SELECT id, document_type, document_no, name, declared_wage_fen, insurance_types, \
         insured_from FROM roster WHERE unit_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        &[&unit_id, &after, &i64::from(limit)],
    )
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get(0)?,
            RosterEntry {
                document_type: row.try_get(1)?,
                document_no: row.try_get(2)?,
                name: row.try_get(3)?,
                declared_wage_fen: row.try_get(4)?,
                insurance_types: types_from_stored(row.try_get(5)?)?,
                insured_from: row.try_get(6)?,
            },
        ))
    })
    .collect()
}
