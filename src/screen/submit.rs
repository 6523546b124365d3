//! 数据提交: the drafts grouped by kind, each with its count and what checking it against the
//! agency's rules found; the clerk ticks kinds and submits them. A kind with an invalid draft
//! cannot be submitted, and its drafts are listed with their problems. Submitting turns the
//! drafts into queued declarations (the store's outbox, so nothing is lost offline) and sends
//! them one at a time, with progress and a way to stop; what is not sent stays queued for the
//! next sync.

use std::collections::BTreeSet;
use std::time::Duration;

use iced::widget::{button, checkbox, column, progress_bar, row, scrollable, text};
use iced::{Element, Length, Subscription, Task};
use shebao_store::{DeclarationKind, OutboxEntry, Store};
use shebao_sync::{Backoff, SyncEngine, SyncError, block_on};

use super::drafting::{self, FormKey};
use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::{Tone, badge};

/// The drafts of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindGroup {
    pub kind: DeclarationKind,
    pub drafts: usize,
    /// Drafts the agency would refuse.
    pub with_errors: usize,
    pub with_warnings: usize,
}

/// A draft with problems, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemRow {
    pub kind: DeclarationKind,
    pub who: String,
    pub problems: String,
}

/// What checking the drafts found.
#[derive(Debug, Clone, Default)]
pub struct Check {
    pub groups: Vec<KindGroup>,
    pub problems: Vec<ProblemRow>,
    /// Without reference data nothing could be checked here (the agency still checks).
    pub reference_available: bool,
    /// Declarations already queued from earlier.
    pub queued: usize,
}

impl Check {
    fn blocked(&self, kinds: &BTreeSet<DeclarationKind>) -> bool {
        self.groups
            .iter()
            .any(|g| kinds.contains(&g.kind) && g.with_errors > 0)
    }
}

/// What asking to submit did.
#[derive(Debug, Clone)]
pub enum Queued {
    /// A ticked kind has an invalid draft: nothing was queued.
    Blocked(Check),
    /// The outbox to send, oldest first (earlier queued declarations included).
    Outbox(Vec<OutboxEntry>),
}

/// What sending one declaration did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Accepted,
    /// Refused as invalid: its items are back among the drafts with the reasons.
    Returned,
    /// The agency could not be reached: it stays queued.
    Offline,
}

#[derive(Debug, Clone)]
pub enum Message {
    Checked(Result<Check, Failure>),
    Tick(DeclarationKind, bool),
    Submit,
    Queued(Result<Queued, Failure>),
    Sent(Result<Sent, Failure>),
    /// Stop after the declaration being sent.
    Cancel,
    Key(FormKey),
    Close,
}

/// Sending in progress.
#[derive(Debug, Clone, Default)]
struct Progress {
    outbox: Vec<OutboxEntry>,
    /// Declarations handled so far.
    done: usize,
    accepted: usize,
    returned: usize,
    offline: bool,
    cancelled: bool,
}

impl Progress {
    fn finished(&self) -> bool {
        self.offline || self.cancelled || self.done >= self.outbox.len()
    }

    fn items(&self) -> u64 {
        self.outbox.iter().map(|e| e.item_count).sum()
    }
}

pub struct Submit {
    session: Session,
    check: Option<Check>,
    ticked: BTreeSet<DeclarationKind>,
    progress: Option<Progress>,
    /// The submission was refused here because of invalid drafts.
    blocked: bool,
    failure: Option<Failure>,
    /// Retries while sending; the next sync retries the rest anyway.
    backoff: Backoff,
    /// Declarations were queued or sent: tell the home page after the next check.
    store_changed: bool,
}

fn kind_label(kind: DeclarationKind) -> String {
    match kind {
        DeclarationKind::Hire => fl!("function-hire"),
        DeclarationKind::Leave => fl!("function-leave"),
        DeclarationKind::Wage => fl!("function-wage"),
        DeclarationKind::UnitChange => fl!("function-unit-change"),
        DeclarationKind::PersonChange => fl!("function-person-change"),
    }
}

impl Submit {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let task = Task::perform(check(session.clone()), Message::Checked);
        let page = Self {
            session,
            check: None,
            ticked: BTreeSet::new(),
            progress: None,
            blocked: false,
            failure: None,
            backoff: Backoff {
                first: Duration::from_millis(500),
                max: Duration::from_secs(4),
                attempts: 3,
            },
            store_changed: false,
        };
        (page, task)
    }

    fn sending(&self) -> bool {
        self.progress.as_ref().is_some_and(|p| !p.finished())
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Checked(Ok(check)) => {
                // Every kind that can go is ticked; the clerk unticks what should wait.
                self.ticked = check
                    .groups
                    .iter()
                    .filter(|g| g.with_errors == 0)
                    .map(|g| g.kind)
                    .collect();
                self.check = Some(check);
                if std::mem::take(&mut self.store_changed) {
                    return Action::StoreChanged;
                }
            }
            Message::Checked(Err(failure)) | Message::Queued(Err(failure)) => {
                self.failure = Some(failure);
            }
            Message::Tick(kind, on) => {
                if on {
                    self.ticked.insert(kind);
                } else {
                    self.ticked.remove(&kind);
                }
                self.blocked = false;
            }
            Message::Submit => {
                if self.sending() {
                    return Action::None;
                }
                self.failure = None;
                self.progress = None;
                self.blocked = self.check.as_ref().is_some_and(|c| c.blocked(&self.ticked));
                if self.blocked {
                    return Action::None;
                }
                let kinds = self.ticked.iter().copied().collect();
                let job = queue(self.session.clone(), kinds);
                return Action::Run(Task::perform(job, Message::Queued));
            }
            Message::Queued(Ok(Queued::Blocked(check))) => {
                self.blocked = true;
                self.check = Some(check);
            }
            Message::Queued(Ok(Queued::Outbox(outbox))) => {
                self.progress = Some(Progress {
                    outbox,
                    ..Progress::default()
                });
                return self.send_next();
            }
            Message::Sent(result) => {
                let Some(progress) = &mut self.progress else {
                    return Action::None;
                };
                match result {
                    Ok(Sent::Accepted) => {
                        progress.done += 1;
                        progress.accepted += 1;
                    }
                    Ok(Sent::Returned) => {
                        progress.done += 1;
                        progress.returned += 1;
                    }
                    Ok(Sent::Offline) => progress.offline = true,
                    Err(Failure::LoginRequired) => return Action::LoginRequired,
                    Err(failure) => {
                        progress.cancelled = true;
                        self.failure = Some(failure);
                    }
                }
                return self.send_next();
            }
            Message::Cancel => {
                if let Some(progress) = &mut self.progress {
                    progress.cancelled = true;
                }
            }
            Message::Key(FormKey::Escape) if self.sending() => {
                return self.update(Message::Cancel);
            }
            Message::Key(FormKey::Escape) | Message::Close => return Action::Close,
            Message::Key(key) => return Action::Run(key.focus()),
        }
        Action::None
    }

    /// Send the next queued declaration, or, when done, count again here and on the home page.
    fn send_next(&mut self) -> Action<Message> {
        let Some(progress) = &self.progress else {
            return Action::None;
        };
        if progress.finished() {
            // This page reads the drafts again (refused items came back as drafts); the home
            // page counts again once that is done.
            self.store_changed = true;
            return Action::Run(Task::perform(check(self.session.clone()), Message::Checked));
        }
        let entry = progress.outbox[progress.done].clone();
        let job = send_one(self.session.clone(), entry, self.backoff);
        Action::Run(Task::perform(job, Message::Sent))
    }

    pub fn subscription(&self) -> Subscription<Message> {
        drafting::form_keys().map(Message::Key)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let Some(check) = &self.check else {
            return match &self.failure {
                Some(failure) => text(failure.message()).style(text::danger).into(),
                None => text(fl!("page-loading")).into(),
            };
        };
        let sending = self.sending();
        let mut groups = column![
            row![
                text(fl!("submit-kind")).width(160),
                text(fl!("submit-count")).width(100),
                text(fl!("submit-state")).width(Length::Fill),
            ]
            .spacing(10)
        ]
        .spacing(8);
        for group in &check.groups {
            let state = if group.with_errors > 0 {
                badge(
                    fl!("submit-with-errors", count = group.with_errors),
                    Tone::Bad,
                )
            } else if !check.reference_available {
                badge(fl!("submit-unchecked"), Tone::Waiting)
            } else if group.with_warnings > 0 {
                badge(
                    fl!("submit-with-warnings", count = group.with_warnings),
                    Tone::Waiting,
                )
            } else {
                badge(fl!("submit-valid"), Tone::Good)
            };
            let kind = group.kind;
            groups = groups.push(
                row![
                    checkbox(self.ticked.contains(&kind))
                        .label(kind_label(kind))
                        .on_toggle_maybe((!sending).then_some(move |on| Message::Tick(kind, on)))
                        .width(160),
                    text(fl!("submit-people", count = group.drafts)).width(100),
                    state,
                ]
                .spacing(10),
            );
        }
        if check.groups.is_empty() {
            groups = groups.push(text(fl!("submit-nothing")));
        }
        let can_submit = !sending && (!self.ticked.is_empty() || check.queued > 0);
        let buttons = row![
            button(text(fl!("submit-submit")))
                .on_press_maybe(can_submit.then_some(Message::Submit)),
            button(text(fl!("page-close")))
                .style(button::secondary)
                .on_press(Message::Close),
        ]
        .spacing(10);
        let mut page = column![groups, buttons].spacing(14);
        if check.queued > 0 && self.progress.is_none() {
            page = page.push(text(fl!("submit-already-queued", count = check.queued)));
        }
        if !check.reference_available {
            page = page.push(text(fl!("drafting-no-reference")).style(text::danger));
        }
        if self.blocked {
            page = page.push(text(fl!("submit-blocked")).style(text::danger));
        }
        if let Some(progress) = &self.progress {
            page = page.push(self.progress_view(progress));
        }
        if let Some(failure) = &self.failure {
            page = page.push(text(failure.message()).style(text::danger));
        }
        if !check.problems.is_empty() {
            let rows = check.problems.iter().map(|p| {
                row![
                    text(kind_label(p.kind)).width(110),
                    text(p.who.clone()).width(260),
                    text(p.problems.clone())
                        .style(text::danger)
                        .width(Length::Fill),
                ]
                .spacing(10)
                .into()
            });
            page = page.push(text(fl!("submit-problems", count = check.problems.len())));
            page = page.push(column(rows).spacing(4));
        }
        scrollable(page).into()
    }

    fn progress_view<'a>(&'a self, progress: &'a Progress) -> Element<'a, Message> {
        let total = progress.outbox.len();
        let line = fl!(
            "submit-progress",
            done = progress.done,
            total = total,
            items = progress.items()
        );
        let mut lines = column![
            progress_bar(0.0..=total.max(1) as f32, progress.done as f32),
            text(line),
        ]
        .spacing(6);
        if !progress.finished() {
            lines = lines.push(
                button(text(fl!("submit-cancel")))
                    .style(button::secondary)
                    .on_press(Message::Cancel),
            );
        }
        if progress.accepted > 0 {
            lines = lines.push(text(fl!("submit-accepted", count = progress.accepted)));
        }
        if progress.returned > 0 {
            lines = lines
                .push(text(fl!("submit-returned", count = progress.returned)).style(text::danger));
        }
        let left = total - progress.done;
        if progress.offline {
            lines = lines.push(text(fl!("submit-offline", count = left)).style(text::danger));
        } else if progress.cancelled && left > 0 {
            lines = lines.push(text(fl!("submit-cancelled", count = left)));
        }
        lines.into()
    }
}

/// Check every kind's drafts against the cached reference data and gather the results.
fn read_check(store: &mut Store) -> Result<Check, Failure> {
    let today = drafting::today();
    let mut out = Check {
        reference_available: true,
        queued: store.outbox()?.len(),
        ..Check::default()
    };
    for kind in DeclarationKind::ALL {
        let found = store.check_drafts(Some(kind), today)?;
        out.reference_available &= found.reference_available;
        let drafts = store.drafts(Some(kind))?;
        if drafts.is_empty() {
            continue;
        }
        out.groups.push(KindGroup {
            kind,
            drafts: drafts.len(),
            with_errors: found.with_errors,
            with_warnings: found.with_warnings,
        });
        if found.with_errors == 0 {
            continue;
        }
        for draft in drafts.iter().filter(|d| !d.problems.is_empty()) {
            let name = drafting::item_text(draft, "name");
            let number = drafting::masked(drafting::item_text(draft, "document_no"));
            out.problems.push(ProblemRow {
                kind,
                who: format!("{name} {number}").trim().to_owned(),
                problems: drafting::problem_line(draft),
            });
        }
    }
    Ok(out)
}

async fn check(session: Session) -> Result<Check, Failure> {
    off_thread(move || read_check(&mut session.store())).await
}

/// Check the ticked kinds again (drafts may have changed since the page opened); when none has
/// an error, queue them. Returns the whole outbox to send.
async fn queue(session: Session, kinds: Vec<DeclarationKind>) -> Result<Queued, Failure> {
    off_thread(move || {
        let mut store = session.store();
        let check = read_check(&mut store)?;
        if check.blocked(&kinds.iter().copied().collect()) {
            return Ok(Queued::Blocked(check));
        }
        for kind in kinds {
            store.queue_drafts(Some(kind))?;
        }
        Ok(Queued::Outbox(store.outbox()?))
    })
    .await
}

/// Send one queued declaration.
async fn send_one(session: Session, entry: OutboxEntry, backoff: Backoff) -> Result<Sent, Failure> {
    off_thread(move || {
        let engine = SyncEngine::new(session.client().clone()).with_backoff(backoff);
        let mut store = session.store();
        match block_on(engine.send_entry(&mut store, &entry))? {
            Ok(true) => Ok(Sent::Accepted),
            Ok(false) => Ok(Sent::Returned),
            Err(e) if e.is_transient() => Ok(Sent::Offline),
            Err(SyncError::LoginRequired) => Err(Failure::LoginRequired),
            Err(e) => Err(e.into()),
        }
    })
    .await
}

#[cfg(test)]
#[path = "submit_tests.rs"]
pub(crate) mod tests;
