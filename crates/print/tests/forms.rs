//! Every form rendered to PDF and read back as a person would see it: poppler's `pdftotext`
//! for the words on each page, `pdftoppm` for the pixels of the QR code.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use shebao_print::{Paper, PrintFont, Printed, Printing, QrPayload, verify};

fn font() -> &'static PrintFont {
    PrintFont::shared().expect("the print font (assets/fonts/ShebaoPrintSC-Regular.otf)")
}

fn render(paper: Paper) -> Printed {
    let reference = common::reference();
    Printing {
        font: font(),
        reference: Some(&reference),
        printed_at: common::printed_at(),
    }
    .render(&[paper])
    .expect("rendered")
}

fn poppler(tool: &str) -> Command {
    let probe = Command::new(tool).arg("-v").output();
    assert!(
        probe.is_ok(),
        "{tool} is missing: install poppler-utils (cargo xtask test does)"
    );
    Command::new(tool)
}

struct Written {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn write(printed: &Printed) -> Written {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &printed.pdf).expect("written");
    Written { _dir: dir, path }
}

/// The text of each page, in drawing order (`-raw`), so that a name wrapped in its cell reads
/// as consecutive lines.
fn pages_text(pdf: &Path, pages: usize) -> Vec<String> {
    (1..=pages)
        .map(|p| {
            let out = poppler("pdftotext")
                .args([
                    "-raw",
                    "-enc",
                    "UTF-8",
                    "-f",
                    &p.to_string(),
                    "-l",
                    &p.to_string(),
                ])
                .arg(pdf)
                .arg("-")
                .output()
                .expect("pdftotext runs");
            assert!(out.status.success(), "pdftotext failed on page {p}");
            String::from_utf8(out.stdout).expect("UTF-8")
        })
        .collect()
}

fn page_count(pdf: &Path) -> usize {
    let out = poppler("pdfinfo").arg(pdf).output().expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo tells the pages")
}

/// Text with line breaks and spaces taken out: a wrapped cell reads as one word again.
fn joined(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every person's number and name appears exactly once, on one page, in order; each page says
/// 第 N 页 共 M 页 with the right count.
fn assert_people_on_pages(printed: &Printed, people: &[(String, String)]) -> Vec<String> {
    let file = write(printed);
    assert_eq!(
        page_count(&file.path),
        printed.pages,
        "pdfinfo's page count"
    );
    let texts = pages_text(&file.path, printed.pages);
    let mut last_page = 0;
    for (i, (number, name)) in people.iter().enumerate() {
        let on: Vec<usize> = texts
            .iter()
            .enumerate()
            .filter(|(_, t)| t.contains(number.as_str()))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(on.len(), 1, "person {} ({number}) on pages {on:?}", i + 1);
        let page = on[0];
        assert!(
            page >= last_page,
            "person {} is on page {} before the previous person's {}",
            i + 1,
            page + 1,
            last_page + 1
        );
        last_page = page;
        assert!(
            joined(&texts[page]).contains(&joined(name)),
            "the name of person {} ({name}) is not on page {} beside the number",
            i + 1,
            page + 1
        );
    }
    for (p, text) in texts.iter().enumerate() {
        let footer = format!("第 {} 页 共 {} 页", p + 1, printed.pages);
        assert!(text.contains(&footer), "page {} lacks “{footer}”", p + 1);
    }
    texts
}

#[test]
fn a_hire_form_lists_everyone_on_the_right_page_with_rare_and_long_names_intact() {
    let people = common::people(120);
    let printed = render(Paper::Form(common::hire_form(120)));
    assert!(
        printed.pages >= 3,
        "120 people fill several pages, got {}",
        printed.pages
    );
    assert!(
        printed.missing_characters.is_empty(),
        "{:?}",
        printed.missing_characters
    );
    let texts = assert_people_on_pages(&printed, &people);
    let all = texts.concat();
    assert!(all.contains(common::RARE_SURNAME) && all.contains(common::RARE_GIVEN));
    // The header is on every page; the totals and the signature block on the last only.
    for text in &texts {
        assert!(text.contains("参保人员增加申报表") && text.contains("证件号码"));
        assert!(text.contains("单位编号：3501000001"));
    }
    let last = texts.last().expect("a page");
    assert!(last.contains("合计：120 人"), "{last}");
    assert!(last.contains("单位（盖章）") && last.contains("经办人") && last.contains("林晓峰"));
    assert!(!texts[0].contains("单位（盖章）"));
    // Code names, not codes.
    assert!(texts[0].contains("新参加工作") && texts[0].contains("养老 失业 医疗 工伤 生育"));
}

#[test]
fn a_leave_form_lists_everyone() {
    let printed = render(Paper::Form(common::leave_form(40)));
    let texts = assert_people_on_pages(&printed, &common::people(40));
    assert!(texts[0].contains("参保人员减少申报表") && texts[0].contains("离职"));
    assert!(texts.concat().contains("合计：40 人"));
}

#[test]
fn a_wage_form_shows_each_base_after_the_limits_with_the_clamp_marked() {
    let printed = render(Paper::Form(common::wage_form(30)));
    let texts = assert_people_on_pages(&printed, &common::people(30));
    let all = joined(&texts.concat());
    // Demo limits in force in 2026-03: 4,494.00 to 22,470.00 (assets/reference-demo.json).
    assert!(all.contains("3000.004494.00低于下限，按下限"), "{all}");
    assert!(all.contains("40000.0022470.00高于上限，按上限"));
    assert!(all.contains("8000.008000.00"));
    assert!(all.contains("缴费基数下限4494.00元、上限22470.00元"));
}

#[test]
fn the_change_forms_show_before_and_after_per_field() {
    let printed = render(Paper::Form(common::unit_change_form()));
    let text = joined(&pages_text(&write(&printed).path, printed.pages).concat());
    assert!(
        text.contains("单位名称福州榕城软件技术有限公司福州榕城数字科技有限公司"),
        "{text}"
    );
    assert!(text.contains("联系电话0591-876543210591-88886666"));
    assert!(text.contains("共变更3项"));

    let printed = render(Paper::Form(common::person_change_form(12)));
    let texts = assert_people_on_pages_once_per_field(&printed, 12);
    let all = joined(&texts.concat());
    assert!(all.contains("户口性质外地城镇本地城镇"), "{all}");
    assert!(all.contains("联系电话1380000000013905910001"));
}

/// The person-change form has a row per changed field: each person appears on as many rows.
fn assert_people_on_pages_once_per_field(printed: &Printed, n: usize) -> Vec<String> {
    let file = write(printed);
    let texts = pages_text(&file.path, printed.pages);
    for (number, _) in common::people(n) {
        let count: usize = texts
            .iter()
            .map(|t| t.matches(number.as_str()).count())
            .sum();
        assert_eq!(count, 2, "{number} should appear on two rows");
    }
    texts
}

#[test]
fn a_receipt_gives_every_item_its_outcome_and_the_agencys_reason() {
    let printed = render(Paper::Receipt(common::receipt(25)));
    let texts = assert_people_on_pages(&printed, &common::people(25));
    let all = texts.concat();
    assert!(all.contains("申报编号：D2026030500042"));
    assert!(
        all.contains("受理时间：2026-03-05 09:12") && all.contains("处理时间：2026-03-05 10:40")
    );
    assert!(all.contains("部分处理成功"));
    assert!(joined(&all).contains("失败此人已在其他单位参保，请先办理转出"));
    assert!(all.contains("共 25 项：成功 19 项，失败 6 项"), "{all}");
}

#[test]
fn every_page_carries_a_qr_code_that_reads_back_from_the_pdf_and_from_its_rendering() {
    let form = common::hire_form(70);
    let printed = render(Paper::Form(form.clone()));
    assert!(printed.pages >= 2);
    // From the PDF's own images.
    let codes = verify::read_pdf(printed.pdf.clone()).expect("codes in the PDF");
    assert_eq!(codes, printed.codes);
    let digest = shebao_print::Digest::of_declaration(form.period, &form.items);
    for (i, code) in codes.iter().enumerate() {
        assert_eq!(
            (code.page, code.pages),
            (i as u32 + 1, printed.pages as u32)
        );
        assert_eq!(code.unit, "3501000001");
        assert_eq!(
            code.declaration.as_deref(),
            Some("0D7C7E2A-5C1E-4D0E-9F43-8A1B2C3D4E5F")
        );
        assert_eq!(code.digest, digest);
    }
    // From the pixels, as a scan of the paper would give them.
    let file = write(&printed);
    let last = printed.pages.to_string();
    let prefix = file.path.with_file_name("page");
    let status = poppler("pdftoppm")
        .args(["-png", "-r", "200", "-f", &last, "-l", &last, "-singlefile"])
        .arg(&file.path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let png = prefix.with_extension("png");
    let scanned: Vec<QrPayload> = verify::read_file(&png).expect("a code on the rendered page");
    assert_eq!(scanned, vec![printed.codes[printed.pages - 1].clone()]);
}

#[test]
fn a_form_printed_from_drafts_names_no_declaration_but_digests_what_will_be_sent() {
    let mut drafts = common::hire_form(3);
    drafts.declaration = None;
    let printed = render(Paper::Form(drafts.clone()));
    let code = &printed.codes[0];
    assert_eq!(code.declaration, None);
    assert_eq!(
        code.digest,
        shebao_print::Digest::of_declaration(drafts.period, &drafts.items)
    );
    let text = pages_text(&write(&printed).path, 1).concat();
    assert!(text.contains("据未提交的草稿打印"));
}

#[test]
fn a_file_without_our_code_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("a folder");
    let text = dir.path().join("note.txt");
    std::fs::write(&text, "not a scan").expect("written");
    let e = verify::read_file(&text).expect_err("not a PDF or PNG");
    assert!(e.to_string().contains("既不是 PDF 也不是 PNG"), "{e}");
}

#[test]
fn a_remark_too_long_for_a_page_is_set_smaller_and_never_cut() {
    let mut form = common::leave_form(3);
    let remark: String = "因公司业务调整，本人与单位协商一致解除劳动合同。".repeat(60);
    if let shebao_core::declaration::Items::Leave(items) = &mut form.items {
        items[1].remarks = Some(remark.clone());
    }
    let printed = render(Paper::Form(form));
    let texts = assert_people_on_pages(&printed, &common::people(3));
    assert!(
        joined(&texts.concat()).contains(&remark),
        "the whole remark is printed"
    );
}
