//! 在职增员: every hire not yet submitted, in a table that stays smooth with 100,000 rows;
//! 职工新参保 and 职工续保 open the hire form, 修改一行 edits the selected draft, 删除 asks
//! first, 去提交 goes to the submission page. Everything can be done from the keyboard:
//! Ctrl+N new, Ctrl+R 续保, Ctrl+E edit, Delete, Ctrl+Enter 去提交, the arrows move the
//! selection; in the form Tab / Shift+Tab move, Enter saves, Esc closes.

pub mod fields;
pub mod form;
pub mod jobs;
mod keys;
pub mod table;
mod view;

#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod journey_tests;
#[cfg(test)]
mod page_tests;
#[cfg(test)]
pub(crate) mod test_support;

use iced::widget::{operation, scrollable};
use iced::{Element, Subscription, Task};
use shebao_core::declaration::HireItem;
use shebao_store::DraftId;

use self::fields::FormField;
use self::form::{HireForm, Lookup, Mode, Outcome};
use self::jobs::Loaded;
pub use self::keys::Key;
use self::table::DraftRow;
use super::failure::Failure;
use super::function::Function;
use super::import::{self, ImportPanel};
use super::page::Action;
use super::session::Session;
use crate::widget::table::TableState;

/// The large answers of jobs are boxed, so that a keystroke's message stays small.
#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Box<Loaded>, Failure>),
    Scrolled(scrollable::Viewport),
    Select(usize),
    /// 职工新参保
    New,
    /// 职工续保
    Resume,
    /// 修改一行
    Edit,
    EditRead(Result<Box<(DraftId, HireItem)>, Failure>),
    /// 删除: asks first.
    Delete,
    DeleteConfirmed,
    DeleteCancelled,
    Deleted(Result<DraftId, Failure>),
    /// 去提交
    GoSubmit,
    /// 导入: the workbook import panel.
    OpenImport,
    Import(import::Message),
    Form(form::Message),
    /// 关闭 of the form.
    CloseForm,
    Saved(Result<Box<DraftRow>, Failure>),
    LookedUp(Result<Box<jobs::Found>, Failure>),
    /// The store changed; the home page counts again.
    StoreChanged,
    Key(Key),
    Close,
}

pub struct Hire {
    /// `None` in the benches: the page draws and takes keystrokes but runs no jobs.
    session: Option<Session>,
    /// `None` while the drafts are read.
    loaded: Option<Result<Box<Loaded>, Failure>>,
    table: TableState,
    form: Option<HireForm>,
    /// The workbook import, when open, in place of the table.
    import: Option<ImportPanel>,
    /// The row whose deletion waits for the clerk's yes.
    confirm_delete: Option<usize>,
    saving: bool,
    /// Who was saved last, so the clerk sees the save happened as the form empties.
    last_saved: Option<String>,
    /// The last job's failure, shown until the next action.
    problem: Option<String>,
    /// The form's labels, looked up once: a field borrows its label for the frame.
    labels: Vec<(FormField, String)>,
    insurance_label: String,
}

impl Hire {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let task = Task::perform(jobs::load(session.clone()), Message::Loaded);
        (Self::with(Some(session), None), task)
    }

    /// The page with its drafts already read (tests, benches).
    pub fn with(session: Option<Session>, loaded: Option<Loaded>) -> Self {
        Self {
            session,
            loaded: loaded.map(|l| Ok(Box::new(l))),
            table: TableState::default(),
            form: None,
            import: None,
            confirm_delete: None,
            saving: false,
            last_saved: None,
            problem: None,
            labels: FormField::TAB_ORDER
                .into_iter()
                .map(|f| (f, f.label()))
                .collect(),
            insurance_label: crate::fl!("hire-insurance-types"),
        }
    }

    fn label(&self, field: FormField) -> &str {
        self.labels
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, l)| l.as_str())
    }

    pub fn rows(&self) -> &[DraftRow] {
        match &self.loaded {
            Some(Ok(loaded)) => &loaded.rows,
            _ => &[],
        }
    }

    fn rows_mut(&mut self) -> Option<&mut Vec<DraftRow>> {
        match &mut self.loaded {
            Some(Ok(loaded)) => Some(&mut loaded.rows),
            _ => None,
        }
    }

    pub fn form(&self) -> Option<&HireForm> {
        self.form.as_ref()
    }

    pub fn selected(&self) -> Option<usize> {
        self.table.selected.filter(|i| *i < self.rows().len())
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(loaded) => {
                self.loaded = Some(loaded);
                Action::None
            }
            Message::Scrolled(viewport) => {
                self.table.scrolled(viewport);
                Action::None
            }
            Message::Select(index) => {
                self.table.selected = Some(index);
                self.confirm_delete = None;
                Action::None
            }
            Message::New => self.open_form(Mode::New),
            Message::Resume => self.open_form(Mode::Resume),
            Message::Edit => {
                let Some(id) = self.selected().map(|i| self.rows()[i].id) else {
                    return Action::None;
                };
                Action::Run(self.job(|s| jobs::read(s, id), Message::EditRead))
            }
            Message::EditRead(Ok(read)) => {
                let (id, item) = *read;
                let Some(Ok(loaded)) = &self.loaded else {
                    return Action::None;
                };
                let period = self
                    .rows()
                    .iter()
                    .find(|r| r.id == id)
                    .and_then(|r| shebao_core::month::Month::parse(&r.period).ok())
                    .unwrap_or(loaded.period);
                self.form = Some(HireForm::editing(
                    loaded.reference.clone(),
                    id,
                    &item,
                    period,
                    loaded.today,
                ));
                Action::Run(operation::focus(FormField::DocumentNo.id()))
            }
            Message::Delete => {
                self.confirm_delete = self.selected();
                Action::None
            }
            Message::DeleteCancelled => {
                self.confirm_delete = None;
                Action::None
            }
            Message::DeleteConfirmed => {
                let Some(index) = self.confirm_delete.take() else {
                    return Action::None;
                };
                let Some(row) = self.rows().get(index) else {
                    return Action::None;
                };
                let id = row.id;
                Action::Run(self.job(|s| jobs::delete(s, id), Message::Deleted))
            }
            Message::Deleted(Ok(id)) => {
                if let Some(rows) = self.rows_mut() {
                    rows.retain(|r| r.id != id);
                    let left = rows.len();
                    self.table.selected = self
                        .table
                        .selected
                        .filter(|_| left > 0)
                        .map(|i| i.min(left - 1));
                }
                Action::StoreChanged
            }
            Message::EditRead(Err(failure)) | Message::Deleted(Err(failure)) => {
                self.problem = Some(failure.message());
                Action::None
            }
            Message::GoSubmit => Action::Open(Function::Submit),
            Message::OpenImport => {
                self.import = Some(ImportPanel::new(shebao_store::DeclarationKind::Hire));
                Action::None
            }
            Message::Import(message) => {
                match import::step(&mut self.import, message, self.session.as_ref()) {
                    import::Step::Nothing => Action::None,
                    import::Step::Run(task) => Action::Run(task.map(Message::Import)),
                    // The panel stays open with its summary; the table behind it is read again.
                    import::Step::Reload => match &self.session {
                        Some(session) => Action::Run(Task::batch([
                            Task::perform(jobs::load(session.clone()), Message::Loaded),
                            Task::done(Message::StoreChanged),
                        ])),
                        None => Action::None,
                    },
                }
            }
            Message::Form(message) => self.form_update(message),
            Message::CloseForm => {
                self.form = None;
                self.last_saved = None;
                Action::None
            }
            Message::Saved(saved) => self.saved(saved),
            Message::LookedUp(Ok(found)) => {
                let jobs::Found {
                    number,
                    person,
                    lookup,
                } = *found;
                if let Some(form) = &mut self.form
                    && form.document_no.trim() == number
                {
                    match person {
                        Some(person) => form.fill_from_person(&person, lookup),
                        None => form.lookup = Some(lookup),
                    }
                }
                Action::None
            }
            Message::LookedUp(Err(Failure::LoginRequired)) => Action::LoginRequired,
            Message::LookedUp(Err(failure)) => {
                if let Some(form) = &mut self.form {
                    form.lookup = Some(Lookup::Failed(failure.message()));
                }
                Action::None
            }
            Message::StoreChanged => Action::StoreChanged,
            Message::Key(key) => self.key(key),
            Message::Close => Action::Close,
        }
    }

    /// A job on the session's store or agency, answering with `done`.
    fn job<T, F>(&self, start: impl FnOnce(Session) -> F, done: fn(T) -> Message) -> Task<Message>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        match &self.session {
            Some(session) => Task::perform(start(session.clone()), done),
            None => Task::none(),
        }
    }

    fn open_form(&mut self, mode: Mode) -> Action<Message> {
        let Some(Ok(loaded)) = &self.loaded else {
            return Action::None;
        };
        self.form = Some(HireForm::new(
            loaded.reference.clone(),
            mode,
            loaded.period,
            loaded.today,
        ));
        self.confirm_delete = None;
        self.last_saved = None;
        self.problem = None;
        Action::Run(operation::focus(FormField::DocumentNo.id()))
    }

    fn form_update(&mut self, message: form::Message) -> Action<Message> {
        let Some(form) = &mut self.form else {
            return Action::None;
        };
        if self.saving {
            // The item on its way to disk is the one shown; keystrokes now would be lost
            // when the form empties.
            return Action::None;
        }
        match form.update(message) {
            Outcome::None => Action::None,
            Outcome::Refused(field) => {
                form.focus = field;
                Action::Run(operation::focus(field.id()))
            }
            Outcome::LookUp(number) => {
                Action::Run(self.job(|s| jobs::look_up(s, number), Message::LookedUp))
            }
            Outcome::Save(item) => {
                let Some(Ok(loaded)) = &self.loaded else {
                    return Action::None;
                };
                self.saving = true;
                self.problem = None;
                let save = jobs::Save {
                    mode: form.mode,
                    period: loaded.period,
                    item: *item,
                    reference: loaded.reference.clone(),
                    today: loaded.today,
                };
                Action::Run(self.job(|s| jobs::save(s, save), Message::Saved))
            }
        }
    }

    /// The draft is on disk: a new one is added to the table and the form empties for the
    /// next person, the cursor in the ID number; an edited one replaces its row and the form
    /// closes.
    fn saved(&mut self, saved: Result<Box<DraftRow>, Failure>) -> Action<Message> {
        self.saving = false;
        let row = match saved {
            Ok(row) => *row,
            Err(failure) => {
                self.problem = Some(failure.message());
                return Action::None;
            }
        };
        let Some(form) = self.form.take() else {
            return Action::None;
        };
        let name = row.name.clone();
        let Some(rows) = self.rows_mut() else {
            return Action::None;
        };
        let changed = Task::done(Message::StoreChanged);
        match form.mode {
            Mode::Edit(id) => {
                let index = rows.iter().position(|r| r.id == id);
                if let Some(index) = index {
                    rows[index] = row;
                }
                self.last_saved = None;
                let select = index.map_or_else(Task::none, |i| self.table.select(i));
                Action::Run(Task::batch([select, changed]))
            }
            Mode::New | Mode::Resume => {
                rows.push(row);
                self.form = Some(form.cleared());
                self.last_saved = Some(name);
                Action::Run(Task::batch([
                    operation::focus(FormField::DocumentNo.id()),
                    changed,
                ]))
            }
        }
    }

    fn key(&mut self, key: Key) -> Action<Message> {
        if let Some(form) = &mut self.form {
            return match key {
                Key::Tab { back } if !self.saving => {
                    form.leave();
                    let next = form.next_field(!back);
                    form.focus = next;
                    Action::Run(operation::focus(next.id()))
                }
                Key::Escape => self.update(Message::CloseForm),
                // Enter where no input took it (after a click on a 险种 box) still saves.
                Key::Enter => self.form_update(form::Message::Save),
                _ => Action::None,
            };
        }
        if self.confirm_delete.is_some() {
            return match key {
                Key::Enter => self.update(Message::DeleteConfirmed),
                Key::Escape => self.update(Message::DeleteCancelled),
                _ => Action::None,
            };
        }
        match key {
            Key::New => self.update(Message::New),
            Key::Resume => self.update(Message::Resume),
            Key::Edit | Key::Enter => self.update(Message::Edit),
            Key::Delete => self.update(Message::Delete),
            Key::Submit => self.update(Message::GoSubmit),
            Key::Up | Key::Down => {
                let count = self.rows().len();
                if count == 0 {
                    return Action::None;
                }
                let index = match (self.selected(), key) {
                    (None, _) => 0,
                    (Some(i), Key::Up) => i.saturating_sub(1),
                    (Some(i), _) => (i + 1).min(count - 1),
                };
                Action::Run(self.table.select(index))
            }
            Key::Tab { .. } | Key::Escape => Action::None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        view::page(self)
    }

    pub fn subscription(&self) -> Subscription<Message> {
        keys::listen().map(Message::Key)
    }
}
