//! Helpers shared by the store's tests.
#![allow(dead_code)]

use std::sync::Arc;

use serde_json::json;
use shebao_store::vault::MemoryVault;
use shebao_store::{DataDir, DeclarationKind, KeySource, NewDraft, Store};

pub const UNIT: &str = "310100000001";

pub fn keys() -> KeySource {
    KeySource::new(Arc::new(MemoryVault::new()), None)
}

pub fn open(dir: &tempfile::TempDir, keys: &KeySource) -> Store {
    Store::open_unit(&DataDir::at(dir.path()), UNIT, keys).expect("the store opens")
}

pub fn hire(n: u32) -> NewDraft {
    NewDraft {
        kind: DeclarationKind::Hire,
        period: "2026-11".into(),
        item: json!({
            "document_type": "01",
            "document_no": format!("11010519491231{n:04}"),
            "name": format!("职工{n}"),
            "insurance_types": ["110", "310"],
            "wage": "6500.00",
        }),
    }
}
