//! The hire page's figures with 100,000 hire drafts in the store:
//! - a keystroke in the hire form: the page's update and its next frame (view and layout);
//! - a frame of the drafts' table (view and layout), with 100,000 drafts and with 100.
//!
//! The frames are laid out by iced's own `UserInterface` on the software renderer, as the
//! window does, at the window's default size (1024x768).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use iced::{Font, Pixels, Size};
use iced_runtime::user_interface::{Cache, UserInterface};
use serde_json::json;
use shebao::screen::hire::fields::FormField;
use shebao::screen::hire::jobs::{self, Loaded};
use shebao::screen::hire::{Hire, Message, form};
use shebao_core::month::Month;
use shebao_store::{DeclarationKind, NewDraft, Store, StoreKey};

/// A store holding `count` hire drafts, and the page with them read as the page's job does.
fn page_with(count: u32) -> (tempfile::TempDir, Hire) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(
        &dir.path().join("unit.db"),
        "3501000001",
        StoreKey::Raw([7; 32]),
    )
    .expect("store");
    let drafts: Vec<NewDraft> = (0..count)
        .map(|n| NewDraft {
            kind: DeclarationKind::Hire,
            period: "2026-03".into(),
            item: json!({
                "document_type": "01",
                "document_no": format!("NO{n:06}"),
                "name": format!("职工{n}"),
                "household_type": "10",
                "employment_form": "01",
                "first_employed_on": "2015-07-01",
                "insured_from": "2026-03",
                "insurance_types": ["110", "210", "310", "410", "510"],
                "wage": "6500.00",
                "reason": "11",
            }),
        })
        .collect();
    store.save_drafts(&drafts).expect("drafts saved");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 15).expect("date");
    let (reference, demo_reference) = jobs::reference_of(&store).expect("reference");
    let rows = jobs::rows_of(&store, &reference, today).expect("rows");
    let loaded = Loaded {
        reference,
        demo_reference,
        rows,
        period: Month::of(today),
        today,
    };
    (dir, Hire::with(None, Some(loaded)))
}

fn renderer() -> iced::Renderer {
    iced::Renderer::new(Font::DEFAULT, Pixels(16.0))
}

const WINDOW: Size = Size::new(1024.0, 768.0);

/// One frame of the page: view, then layout, reusing the previous frame's cache as the
/// runtime does.
fn frame(page: &Hire, renderer: &mut iced::Renderer, cache: Cache) -> Cache {
    let ui = UserInterface::build(page.view(), WINDOW, cache, renderer);
    black_box(ui.into_cache())
}

fn table_frames(c: &mut Criterion) {
    let mut renderer = renderer();
    for count in [100, 100_000] {
        let (_dir, page) = page_with(count);
        let mut cache = Some(Cache::default());
        c.bench_function(&format!("hire table frame, {count} drafts"), |b| {
            b.iter(|| {
                let warm = cache.take().unwrap_or_default();
                cache = Some(frame(&page, &mut renderer, warm));
            });
        });
    }
}

fn form_keystroke(c: &mut Criterion) {
    let mut renderer = renderer();
    let (_dir, mut page) = page_with(100_000);
    let _ = page.update(Message::New);
    let mut cache = Some(Cache::default());
    // The clerk types an ID number, one character at a time, over and over.
    let number = "11010519491231002X";
    let mut typed = 0;
    c.bench_function("hire form keystroke, 100000 drafts", |b| {
        b.iter(|| {
            typed = typed % number.len() + 1;
            let input = form::Message::Input(FormField::DocumentNo, number[..typed].to_owned());
            let _ = black_box(page.update(Message::Form(input)));
            let warm = cache.take().unwrap_or_default();
            cache = Some(frame(&page, &mut renderer, warm));
        });
    });
}

criterion_group!(benches, table_frames, form_keystroke);
criterion_main!(benches);
