//! 导入: a workbook (xlsx, xls, ods or CSV) of hires, leavers or wages becomes drafts, on the
//! page of that kind. The import runs off the UI thread and reports its progress; the good
//! rows are saved in one transaction, and the bad ones go into a copy of the clerk's own
//! workbook with a column 错误说明, which the clerk fixes and imports again.

use std::path::PathBuf;

use iced::futures::channel::mpsc;
use iced::futures::{SinkExt, Stream};
use iced::widget::{button, checkbox, column, progress_bar, row, text, text_input};
use iced::{Alignment, Element, Length, Task};
use shebao_store::DeclarationKind;
use shebao_workbook::{ImportOptions, Progress};

use super::session::Session;
use crate::fl;

/// What a finished import tells the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub imported: usize,
    pub already_drafts: usize,
    pub rejected: usize,
    pub refused_whole_file: bool,
    /// The annotated copy of the workbook, when some row was rejected.
    pub report: Option<PathBuf>,
    pub ignored_columns: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Path(String),
    AllOrNothing(bool),
    Start,
    Progress(Progress),
    Finished(Result<Summary, String>),
    Close,
}

/// What the page holding the panel has to do.
pub enum Outcome {
    None,
    Run(Task<Message>),
    /// Drafts were saved: read the page's rows again and let the home page count.
    Imported,
    Close,
}

/// What a page does with a message of its import panel; the same on every page.
pub enum Step {
    Nothing,
    Run(Task<Message>),
    /// Drafts were saved: read the page's rows again and let the home page count.
    Reload,
}

/// Hand `message` to the panel in `slot` (closing it when asked).
pub fn step(slot: &mut Option<ImportPanel>, message: Message, session: Option<&Session>) -> Step {
    let Some(panel) = slot else {
        return Step::Nothing;
    };
    match panel.update(message, session) {
        Outcome::None => Step::Nothing,
        Outcome::Run(task) => Step::Run(task),
        Outcome::Close => {
            *slot = None;
            Step::Nothing
        }
        Outcome::Imported => Step::Reload,
    }
}

pub struct ImportPanel {
    kind: DeclarationKind,
    path: String,
    all_or_nothing: bool,
    running: bool,
    progress: Option<Progress>,
    result: Option<Result<Summary, String>>,
}

impl ImportPanel {
    pub fn new(kind: DeclarationKind) -> Self {
        Self {
            kind,
            path: String::new(),
            all_or_nothing: false,
            running: false,
            progress: None,
            result: None,
        }
    }

    pub fn update(&mut self, message: Message, session: Option<&Session>) -> Outcome {
        match message {
            Message::Path(path) => {
                self.path = path;
                Outcome::None
            }
            Message::AllOrNothing(on) => {
                self.all_or_nothing = on;
                Outcome::None
            }
            Message::Start => {
                let (Some(session), false) = (session, self.running) else {
                    return Outcome::None;
                };
                let path = PathBuf::from(self.path.trim());
                if path.as_os_str().is_empty() {
                    self.result = Some(Err(fl!("import-no-file")));
                    return Outcome::None;
                }
                self.running = true;
                self.progress = None;
                self.result = None;
                let options = ImportOptions {
                    kind: self.kind,
                    default_period: shebao_store::this_month(),
                    encoding: None,
                    all_or_nothing: self.all_or_nothing,
                    today: chrono::Local::now().date_naive(),
                };
                Outcome::Run(Task::stream(run(session.clone(), path, options)))
            }
            Message::Progress(progress) => {
                self.progress = Some(progress);
                Outcome::None
            }
            Message::Finished(result) => {
                self.running = false;
                let saved = matches!(&result, Ok(summary) if summary.imported > 0);
                self.result = Some(result);
                if saved {
                    Outcome::Imported
                } else {
                    Outcome::None
                }
            }
            Message::Close if !self.running => Outcome::Close,
            Message::Close => Outcome::None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let start = button(text(fl!("import-start")))
            .on_press_maybe((!self.running).then_some(Message::Start));
        let mut panel = column![
            text(fl!("import-title")).size(18),
            text(fl!("import-formats")).size(13),
            row![
                text(fl!("import-file")),
                text_input(&fl!("import-file-placeholder"), &self.path)
                    .on_input(Message::Path)
                    .on_submit(Message::Start)
                    .width(Length::Fill),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
            checkbox(self.all_or_nothing)
                .label(fl!("import-all-or-nothing"))
                .on_toggle(Message::AllOrNothing),
            row![
                start,
                button(text(fl!("import-close")))
                    .style(button::secondary)
                    .on_press_maybe((!self.running).then_some(Message::Close)),
            ]
            .spacing(8),
        ]
        .spacing(10);
        if self.running {
            let (done, total, words) = match self.progress {
                None => (0.0, 1.0, fl!("import-reading")),
                Some(Progress::Read(rows)) => (0.0, 1.0, fl!("import-read", rows = rows)),
                Some(Progress::Checked(done, total)) => (
                    done as f32,
                    total.max(1) as f32,
                    fl!("import-checked", done = done, total = total),
                ),
                Some(Progress::Saving(n)) => (1.0, 1.0, fl!("import-saving", count = n)),
            };
            panel = panel
                .push(progress_bar(0.0..=total, done))
                .push(text(words).size(13));
        }
        match &self.result {
            None => {}
            Some(Err(problem)) => panel = panel.push(text(problem.as_str()).style(text::danger)),
            Some(Ok(summary)) => panel = panel.push(summary_view(summary)),
        }
        panel.into()
    }
}

fn summary_view(summary: &Summary) -> Element<'_, Message> {
    let mut lines = column![text(fl!("import-imported", count = summary.imported))].spacing(6);
    if summary.already_drafts > 0 {
        lines = lines.push(text(fl!("import-already", count = summary.already_drafts)));
    }
    if summary.rejected > 0 {
        lines =
            lines.push(text(fl!("import-rejected", count = summary.rejected)).style(text::danger));
    }
    if summary.refused_whole_file {
        lines = lines.push(text(fl!("import-refused-whole")).style(text::danger));
    }
    if let Some(report) = &summary.report {
        lines = lines.push(text(fl!(
            "import-report",
            path = report.display().to_string()
        )));
    }
    if !summary.ignored_columns.is_empty() {
        lines = lines.push(
            text(fl!(
                "import-ignored",
                columns = summary.ignored_columns.join("、")
            ))
            .size(13),
        );
    }
    lines.into()
}

/// The import as a stream of messages: progress while it runs, then the summary.
fn run(session: Session, path: PathBuf, options: ImportOptions) -> impl Stream<Item = Message> {
    let (mut sender, receiver) = mpsc::channel(16);
    let spawned = std::thread::Builder::new()
        .name("shebao-import".into())
        .spawn({
            let mut sender = sender.clone();
            move || {
                let result = import(&session, &path, &options, &mut |p| {
                    // A full channel only drops a progress step; the summary always goes.
                    let _ = sender.try_send(Message::Progress(p));
                });
                let _ = iced::futures::executor::block_on(sender.send(Message::Finished(result)));
            }
        });
    if let Err(e) = spawned {
        let _ = sender.try_send(Message::Finished(Err(e.to_string())));
    }
    receiver
}

fn import(
    session: &Session,
    path: &std::path::Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, String> {
    let import = {
        let mut store = session.store();
        shebao_workbook::import_into(&mut store, path, options, progress)
            .map_err(|e| e.to_string())?
    };
    let report = if import.rejected() > 0 {
        let report = shebao_workbook::default_report_path(path);
        shebao_workbook::write_report(&import, &report).map_err(|e| e.to_string())?;
        Some(report)
    } else {
        None
    };
    tracing::info!(
        imported = import.imported(),
        rejected = import.rejected(),
        "workbook imported"
    );
    Ok(Summary {
        imported: import.imported(),
        already_drafts: import.already_drafts(),
        rejected: import.rejected(),
        refused_whole_file: import.refused_whole_file,
        report,
        ignored_columns: import.ignored_columns.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::testing;

    /// A valid resident ID number of a person born in 1990.
    fn resident_id(n: u32) -> String {
        let body = format!("35010219900{}{:02}{:03}", 1 + n % 9, 1 + n % 28, n % 1000);
        let check = shebao_core::id::check_character(&body).expect("17 digits");
        format!("{body}{check}")
    }

    /// The same number with a wrong check character: a typo the import must catch.
    fn mistyped(n: u32) -> String {
        let good = resident_id(n);
        let wrong = if good.ends_with('0') { '1' } else { '0' };
        format!("{}{wrong}", &good[..17])
    }

    fn csv_of_hires(dir: &std::path::Path, numbers: &[String]) -> PathBuf {
        let mut csv = String::from(
            "证件类型,身份证号码,姓名,民族,户口性质,用工形式,参加工作日期,参保日期,险种,月工资,增员原因\n",
        );
        let month = shebao_store::this_month();
        for (number, name) in numbers.iter().zip(["林一", "陈二", "王三"]) {
            csv.push_str(&format!(
                "01,{number},{name},01,10,01,2020-03-01,{month},110 210 310 410 510,6000,11\n"
            ));
        }
        let path = dir.join("增员.csv");
        std::fs::write(&path, csv).unwrap();
        path
    }

    /// A logged-in clerk's store holds the agency's reference data after the first sync; the
    /// import checks rows against it.
    fn with_reference(session: &Session) {
        let demo: serde_json::Value =
            serde_json::from_str(include_str!("../../assets/reference-demo.json")).unwrap();
        session.store().save_reference("demo", &demo).unwrap();
    }

    fn finish(panel: &mut ImportPanel, session: &Session, path: &std::path::Path) -> Outcome {
        panel.update(Message::Path(path.display().to_string()), Some(session));
        let Outcome::Run(_) = panel.update(Message::Start, Some(session)) else {
            panic!("the import starts");
        };
        // The test runs the job itself rather than through the window's runtime.
        let result = import(session, path, &options(panel), &mut |_| {});
        panel.update(Message::Finished(result), Some(session))
    }

    fn options(panel: &ImportPanel) -> ImportOptions {
        ImportOptions {
            kind: panel.kind,
            default_period: shebao_store::this_month(),
            encoding: None,
            all_or_nothing: panel.all_or_nothing,
            today: chrono::Local::now().date_naive(),
        }
    }

    #[test]
    fn good_rows_become_drafts_and_bad_ones_go_to_the_report() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        with_reference(&session);
        let path = csv_of_hires(data.path(), &[resident_id(1), mistyped(3)]);
        let mut panel = ImportPanel::new(DeclarationKind::Hire);
        let outcome = finish(&mut panel, &session, &path);
        assert!(
            matches!(outcome, Outcome::Imported),
            "the drafts are saved: {:?}",
            panel.result
        );
        let Some(Ok(summary)) = &panel.result else {
            panic!("a summary is shown: {:?}", panel.result);
        };
        assert_eq!((summary.imported, summary.rejected), (1, 1));
        let report = summary.report.clone().expect("a report is written");
        assert!(report.exists(), "the annotated workbook is there");
        assert_eq!(
            session
                .store()
                .drafts(Some(DeclarationKind::Hire))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn all_or_nothing_saves_nothing_when_a_row_is_bad() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        with_reference(&session);
        let path = csv_of_hires(data.path(), &[resident_id(2), mistyped(4)]);
        let mut panel = ImportPanel::new(DeclarationKind::Hire);
        panel.update(Message::AllOrNothing(true), Some(&session));
        let outcome = finish(&mut panel, &session, &path);
        assert!(
            matches!(outcome, Outcome::None),
            "nothing is saved: {:?}",
            panel.result
        );
        let Some(Ok(summary)) = &panel.result else {
            panic!("a summary is shown");
        };
        assert!(summary.refused_whole_file);
        assert!(
            session
                .store()
                .drafts(Some(DeclarationKind::Hire))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_missing_file_is_said_plainly() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        let mut panel = ImportPanel::new(DeclarationKind::Hire);
        let missing = data.path().join("不存在.xlsx");
        let outcome = finish(&mut panel, &session, &missing);
        assert!(matches!(outcome, Outcome::None));
        assert!(matches!(&panel.result, Some(Err(m)) if m.contains("不存在.xlsx")));
    }
}
