//! `shebao print ID [--receipt] --out FILE.pdf`, `shebao print --drafts KIND --out FILE.pdf`
//! and `shebao verify-print FILE.pdf|FILE.png`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use shebao_core::declaration::DeclarationKind;
use shebao_print::{Digest, FormKind, QrPayload, verify};
use shebao_store::{DeclarationId, Store};

use super::context::{self, Failure, GlobalArgs, Outcome};
use super::exit;
use crate::print_model::{self, PaperError, PaperRequest, Signatory};

#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The declaration's local number (first column of `shebao declarations`).
    #[arg(required_unless_present = "drafts", conflicts_with = "drafts")]
    pub id: Option<DeclarationId>,
    /// Print the receipt (回执) of a processed declaration instead of its form.
    #[arg(long, requires = "id")]
    pub receipt: bool,
    /// Print the drafts of a kind, not yet submitted: hire, leave, wage, unit_change or
    /// person_change.
    #[arg(long, value_name = "KIND")]
    pub drafts: Option<DeclarationKind>,
    /// The PDF file to write.
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    /// 经办人 on the form (default: the contact person of the unit's record).
    #[arg(long)]
    pub clerk: Option<String>,
    /// 联系电话 on the form (default: the contact phone of the unit's record).
    #[arg(long)]
    pub phone: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// A PDF printed by shebao, or a scan or photo of a printed page as PNG.
    pub file: PathBuf,
}

pub fn run(global: &GlobalArgs, args: &PrintArgs) -> Outcome {
    let request = match (args.id, args.drafts) {
        (Some(id), _) if args.receipt => PaperRequest::Receipt(id),
        (Some(id), _) => PaperRequest::Form(id),
        (None, Some(kind)) => PaperRequest::Drafts(kind),
        (None, None) => {
            return Err(Failure::new(
                exit::BAD_INPUT,
                "Name a declaration (its number) or --drafts KIND.",
            ));
        }
    };
    let (store, _) = context::open_store(global)?;
    let signatory = Signatory {
        clerk: args.clerk.clone(),
        phone: args.phone.clone(),
    };
    let now = chrono::Local::now().naive_local();
    let printed = print_model::print(&store, request, signatory, now).map_err(failure)?;
    write_whole(&args.out, &printed.pdf)?;
    println!(
        "{} 页已写入 {} / {} page(s) written",
        printed.pages,
        args.out.display(),
        printed.pages
    );
    if !printed.missing_characters.is_empty() {
        let chars: String = printed.missing_characters.iter().collect();
        eprintln!(
            "警告 / warning: 打印字体中没有这些字符，纸上印为空框（复制文字时仍在）：{chars}"
        );
    }
    Ok(exit::OK)
}

/// Writes next to the target and renames, so a failure never leaves half a PDF behind.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            Failure::new(
                exit::BAD_INPUT,
                format!("无法写入 {} / cannot write it: {e}", path.display()),
            )
        })
}

fn failure(e: PaperError) -> Failure {
    match e {
        PaperError::Store(store) => match Arc::try_unwrap(store) {
            Ok(store) => Failure::from(store),
            Err(shared) => Failure::new(exit::FAILED, shared.to_string()),
        },
        PaperError::Damaged { .. } | PaperError::DraftsDamaged { .. } | PaperError::Print(_) => {
            Failure::new(exit::FAILED, e.to_string())
        }
        other => Failure::new(exit::BAD_INPUT, other.to_string()),
    }
}

pub fn verify(global: &GlobalArgs, args: &VerifyArgs) -> Outcome {
    let codes =
        verify::read_file(&args.file).map_err(|e| Failure::new(exit::BAD_INPUT, e.to_string()))?;
    for code in &codes {
        println!("{}", describe(code));
    }
    let first = &codes[0];
    if codes.iter().any(|c| {
        (&c.unit, c.form, &c.declaration, c.digest)
            != (&first.unit, first.form, &first.declaration, first.digest)
    }) {
        return Err(Failure::new(
            exit::BAD_INPUT,
            "这些页不属于同一份申报表或回执 / the pages belong to different papers",
        ));
    }
    match against_store(global, first) {
        Ok(Check::Matches(what)) => {
            println!("与本机记录一致：{what} / matches this computer's record");
            Ok(exit::OK)
        }
        Ok(Check::Differs(what)) => Err(Failure::new(
            exit::BAD_INPUT,
            format!(
                "与本机记录不一致：{what} 的内容已不同于这份纸件 / the paper differs from the record"
            ),
        )),
        Ok(Check::Unknown(why)) | Err(why) => {
            println!("未与本机记录核对：{why}");
            Ok(exit::OK)
        }
    }
}

fn describe(code: &QrPayload) -> String {
    let form = match code.form {
        FormKind::Declaration(kind) => format!("{}申报表", kind.label()),
        FormKind::Receipt => "回执".to_owned(),
    };
    let declaration = match &code.declaration {
        Some(key) => format!("申报标识 {key}"),
        None => "据草稿打印".to_owned(),
    };
    format!(
        "第 {}/{} 页：单位 {}，{form}，{declaration}，摘要 {}",
        code.page, code.pages, code.unit, code.digest
    )
}

enum Check {
    Matches(String),
    Differs(String),
    Unknown(String),
}

/// Compares the paper's digest with what this computer holds for the declaration (or the
/// drafts) it names; any obstacle only means the comparison is not made.
fn against_store(global: &GlobalArgs, code: &QrPayload) -> Result<Check, String> {
    let data = context::data_dir(global).map_err(|f| f.error.to_string())?;
    let exists = data.unit_store(&code.unit).is_ok_and(|path| path.exists());
    if !exists {
        return Ok(Check::Unknown(format!("本机没有单位 {} 的数据", code.unit)));
    }
    let (keys, _) = context::secrets();
    let store = Store::open_unit(&data, &code.unit, &keys).map_err(|e| e.to_string())?;
    let digest = |e: PaperError| e.to_string();
    let (what, held): (String, Vec<Digest>) = match (&code.declaration, code.form) {
        (Some(key), form) => {
            let Some(d) = print_model::declaration_by_key(&store, key).map_err(digest)? else {
                return Ok(Check::Unknown("本机没有这份申报".into()));
            };
            let held = if form == FormKind::Receipt {
                let r = print_model::receipt(&store, d.id).map_err(digest)?;
                Digest::of_receipt(&r.agency_id, &r.lines)
            } else {
                let f = print_model::declaration_form(&store, d.id, Signatory::default())
                    .map_err(digest)?;
                Digest::of_declaration(f.period, &f.items)
            };
            (format!("申报 {}", d.id), vec![held])
        }
        (None, FormKind::Declaration(kind)) => {
            let forms =
                print_model::draft_forms(&store, kind, Signatory::default()).map_err(digest)?;
            let held = forms
                .iter()
                .map(|f| Digest::of_declaration(f.period, &f.items))
                .collect();
            (format!("{}的草稿", kind.label()), held)
        }
        (None, FormKind::Receipt) => return Ok(Check::Unknown("回执未注明申报".into())),
    };
    Ok(if held.contains(&code.digest) {
        Check::Matches(what)
    } else {
        Check::Differs(what)
    })
}
