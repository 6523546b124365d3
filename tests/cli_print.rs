//! `shebao print` and `shebao verify-print` on a real store on disk: the drafts' form, the
//! queued declaration's form, the receipt after the agency's verdicts, and a paper that no
//! longer matches what the computer holds.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use serde_json::json;
use shebao_core::reference::ReferenceData;
use shebao_store::vault::NoVault;
use shebao_store::{
    DataDir, DeclarationKind, DeclarationState, KeySource, NewDraft, ReportedDeclaration,
    ReportedItem, Store,
};

const PASSPHRASE: &str = "cli-print-passphrase";
const UNIT: &str = "310100000088";
const PEOPLE: [(&str, &str); 3] = [
    ("31010119850612001X", "𠮷祥"),
    ("310101198506120036", "刘䶮"),
    ("310101198506120052", "阿卜杜热合曼·买买提依明"),
];

fn shebao(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shebao"))
        .arg("--data-dir")
        .arg(data)
        .arg("--unit")
        .arg(UNIT)
        .args(args)
        .env("SHEBAO_STORE_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .expect("shebao runs")
}

fn store(data: &Path) -> Store {
    let keys = KeySource::new(Arc::new(NoVault), Some(PASSPHRASE.into()));
    Store::open_unit(&DataDir::at(data), UNIT, &keys).expect("store opens")
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Text without white space: a name wrapped in its cell, or two cells, read as one.
fn joined(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The digest the first page's code names, from verify-print's output.
fn digest(out: &Output) -> String {
    stdout(out)
        .lines()
        .find_map(|l| l.split("摘要 ").nth(1))
        .expect("a digest")
        .trim()
        .to_owned()
}

#[test]
fn drafts_a_declaration_and_its_receipt_print_and_verify_against_the_store() {
    let dir = tempfile::tempdir().expect("a folder");
    let data = dir.path();
    {
        let mut s = store(data);
        let reference: serde_json::Value =
            serde_json::from_str(ReferenceData::demo_json()).expect("demo reference data");
        s.save_reference("demo", &reference)
            .expect("reference saved");
        s.save_unit_record(&json!({
            "name": "上海浦江印务有限公司",
            "uscc": "91350100M000100Y43",
            "contact_person": "周敏",
            "contact_phone": "021-55550000",
        }))
        .expect("unit record saved");
        let drafts: Vec<NewDraft> = PEOPLE
            .iter()
            .map(|(no, name)| NewDraft {
                kind: DeclarationKind::Hire,
                period: "2026-03".into(),
                item: json!({
                    "document_type": "01", "document_no": no, "name": name,
                    "household_type": "10", "employment_form": "01",
                    "first_employed_on": "2020-05-01", "insured_from": "2026-03",
                    "insurance_types": ["110", "310"], "wage": "6500.00", "reason": "11",
                }),
            })
            .collect();
        s.save_drafts(&drafts).expect("drafts saved");
    }

    // The drafts' form, and its code read back against the drafts.
    let drafts_pdf = data.join("草稿.pdf");
    let out = shebao(
        data,
        &[
            "print",
            "--drafts",
            "hire",
            "--out",
            drafts_pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&drafts_pdf);
    for (no, name) in PEOPLE {
        assert!(text.contains(no), "{no} missing");
        assert!(joined(&text).contains(name), "{name} missing");
    }
    assert!(text.contains("上海浦江印务有限公司") && text.contains("周敏"));
    assert!(text.contains("据未提交的草稿打印"));
    let verified = shebao(data, &["verify-print", drafts_pdf.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(
        stdout(&verified).contains("与本机记录一致：在职增员的草稿"),
        "{}",
        stdout(&verified)
    );
    let drafts_digest = digest(&verified);

    // Queued, the declaration prints with the same digest: the paper matches either way.
    let id = {
        let mut s = store(data);
        let queued = s.queue_drafts(Some(DeclarationKind::Hire)).expect("queued");
        queued[0].declaration_id
    };
    let form_pdf = data.join("申报表.pdf");
    let out = shebao(
        data,
        &[
            "print",
            &id.to_string(),
            "--clerk",
            "王强",
            "--out",
            form_pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_text(&form_pdf).contains("王强"));
    let verified = shebao(data, &["verify-print", form_pdf.to_str().unwrap()]);
    assert!(
        stdout(&verified).contains(&format!("与本机记录一致：申报 {id}")),
        "{}",
        stdout(&verified)
    );
    assert_eq!(digest(&verified), drafts_digest);

    // No receipt before the agency has processed it.
    let receipt_pdf = data.join("回执.pdf");
    let id_text = id.to_string();
    let print_receipt = || {
        let out = receipt_pdf.to_str().expect("a UTF-8 path");
        shebao(data, &["print", &id_text, "--receipt", "--out", out])
    };
    let out = print_receipt();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("尚未处理完毕"), "{}", stderr(&out));
    assert!(!receipt_pdf.exists());

    // The agency's verdicts arrive; the receipt shows each with its reason.
    {
        let mut s = store(data);
        let key = s.declaration(id).expect("the declaration").idempotency_key;
        let verdict = |line, accepted, reason: Option<&str>| ReportedItem {
            line,
            accepted,
            reason: reason.map(str::to_owned),
        };
        s.apply_changes(
            &[ReportedDeclaration {
                remote_id: "D2026031200007".into(),
                idempotency_key: Some(key),
                kind: DeclarationKind::Hire,
                period: Some("2026-03".into()),
                state: DeclarationState::PartlySucceeded,
                viewed: false,
                items: vec![
                    verdict(1, true, None),
                    verdict(2, false, Some("此人已在其他单位参保")),
                    verdict(3, true, None),
                ],
                updated_at: "2026-03-12T10:40:00+08:00".into(),
            }],
            Some("cursor-1"),
        )
        .expect("verdicts applied");
    }
    let out = print_receipt();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&receipt_pdf);
    assert!(
        text.contains("D2026031200007") && text.contains("部分处理成功"),
        "{text}"
    );
    assert!(joined(&text).contains("失败此人已在其他单位参保"), "{text}");
    let verified = shebao(data, &["verify-print", receipt_pdf.to_str().unwrap()]);
    assert!(stdout(&verified).contains("回执") && stdout(&verified).contains("与本机记录一致"));
}

#[test]
fn a_paper_whose_drafts_changed_since_printing_is_reported_as_differing() {
    let dir = tempfile::tempdir().expect("a folder");
    let data = dir.path();
    let draft = |name: &str| NewDraft {
        kind: DeclarationKind::Leave,
        period: "2026-03".into(),
        item: json!({
            "document_type": "01", "document_no": PEOPLE[0].0, "name": name,
            "reason": "21", "left_on": "2026-02-27", "stop_month": "2026-03",
        }),
    };
    let id = store(data).save_draft(&draft("张三")).expect("saved");
    let pdf = data.join("减员.pdf");
    let out = shebao(
        data,
        &["print", "--drafts", "leave", "--out", pdf.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    store(data)
        .update_draft(id, &draft("张叁").item)
        .expect("draft changed");
    let verified = shebao(data, &["verify-print", pdf.to_str().unwrap()]);
    assert_eq!(verified.status.code(), Some(2), "{}", stdout(&verified));
    assert!(
        stderr(&verified).contains("与本机记录不一致"),
        "{}",
        stderr(&verified)
    );

    let none = shebao(
        data,
        &["print", "--drafts", "wage", "--out", pdf.to_str().unwrap()],
    );
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("没有工资申报的草稿可打印"),
        "{}",
        stderr(&none)
    );
}
