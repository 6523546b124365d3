//! 系统公告: the agency's announcements, listed beside the login form as in the seed system and
//! on the home page; a title opens its text and its attachments, which the clerk saves through
//! the platform's "save file" window. Before login they are fetched openly (the agency
//! publishes them without a session); on the home page they come from the store, which each
//! sync fills, so they are there offline too.

use std::path::{Path, PathBuf};

use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Alignment, Element, Length, Task};
use shebao_sync::wire::Announcement;
use shebao_sync::{AgencyClient, block_on};

use super::failure::Failure;
use super::session::{Services, Session, off_thread};
use crate::fl;

#[derive(Debug, Clone)]
pub enum Message {
    Arrived(Result<Vec<Announcement>, Failure>),
    Toggle(String),
    /// Save the attachment `name` of announcement `id`: ask where first.
    Save {
        id: String,
        name: String,
    },
    /// The clerk chose where (or closed the window: `None`).
    Chosen {
        id: String,
        name: String,
        path: Option<PathBuf>,
    },
    Saved(Result<PathBuf, (String, Failure)>),
}

#[derive(Debug, Default)]
pub struct Notices {
    agency: Option<AgencyClient>,
    list: Vec<Announcement>,
    /// The announcement whose text is shown.
    open: Option<String>,
    /// Why there is no list (offline…); the login itself may still work later.
    problem: Option<String>,
    loading: bool,
    /// The last save's outcome, said under the open announcement.
    saving: bool,
    outcome: Option<Result<String, String>>,
}

/// One attachment as the agency lists it.
pub struct Attachment {
    pub name: String,
    pub size: Option<u64>,
}

/// The attachments of `notice` that have a name.
pub fn attachments(notice: &Announcement) -> Vec<Attachment> {
    notice
        .attachments
        .iter()
        .filter_map(|a| {
            let name = a.get("name")?.as_str()?.to_owned();
            let size = a.get("size").and_then(serde_json::Value::as_u64);
            Some(Attachment { name, size })
        })
        .collect()
}

impl Notices {
    /// Before login: ask the agency.
    pub fn load(services: Services) -> (Self, Task<Message>) {
        let agency = services.agency.clone().ok();
        let fetch = off_thread(move || {
            let client = services.agency.map_err(Failure::Setup)?;
            Ok(block_on(client.announcements(None))??)
        });
        let notices = Self {
            agency,
            loading: true,
            ..Self::default()
        };
        (notices, Task::perform(fetch, Message::Arrived))
    }

    /// On the home page: what the last sync kept in the store.
    pub fn cached(session: &Session) -> (Self, Task<Message>) {
        let notices = Self {
            agency: Some(session.client().clone()),
            loading: true,
            ..Self::default()
        };
        (notices, Self::read_cached(session))
    }

    /// Read the store's announcements again, e.g. after a sync brought new ones.
    pub fn read_cached(session: &Session) -> Task<Message> {
        let job = session.clone();
        let read = off_thread(move || {
            let cached = job.store().announcements()?;
            Ok(cached
                .into_iter()
                .filter_map(|a| serde_json::from_value::<Announcement>(a.body).ok())
                .collect())
        });
        Task::perform(read, Message::Arrived)
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Arrived(Ok(mut list)) => {
                // Newest first, as the seed system lists them.
                list.sort_by(|a, b| b.published_at.cmp(&a.published_at));
                self.list = list;
                self.loading = false;
                self.problem = None;
            }
            Message::Arrived(Err(failure)) => {
                self.loading = false;
                self.problem = Some(match failure {
                    Failure::Offline => fl!("notices-offline"),
                    other => other.message(),
                });
            }
            Message::Toggle(id) => {
                self.outcome = None;
                self.open = if self.open.as_ref() == Some(&id) {
                    None
                } else {
                    Some(id)
                };
            }
            Message::Save { id, name } => {
                self.outcome = None;
                let suggested = name.clone();
                return Task::perform(
                    async move {
                        let chosen = rfd::AsyncFileDialog::new()
                            .set_file_name(suggested)
                            .save_file()
                            .await;
                        chosen.map(|file| file.path().to_path_buf())
                    },
                    move |path| Message::Chosen {
                        id: id.clone(),
                        name: name.clone(),
                        path,
                    },
                );
            }
            Message::Chosen { path: None, .. } => {}
            Message::Chosen {
                id,
                name,
                path: Some(path),
            } => {
                let Some(agency) = self.agency.clone() else {
                    self.outcome = Some(Err(fl!(
                        "notices-save-failed",
                        name = name,
                        reason = fl!("failure-offline")
                    )));
                    return Task::none();
                };
                self.saving = true;
                return Task::perform(
                    async move {
                        save_attachment(agency, id, name.clone(), path)
                            .await
                            .map_err(|f| (name, f))
                    },
                    Message::Saved,
                );
            }
            Message::Saved(Ok(path)) => {
                self.saving = false;
                self.outcome = Some(Ok(fl!("notices-saved", path = path.display().to_string())));
            }
            Message::Saved(Err((name, failure))) => {
                self.saving = false;
                self.outcome = Some(Err(fl!(
                    "notices-save-failed",
                    name = name,
                    reason = failure.message()
                )));
            }
        }
        Task::none()
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut list = column![text(fl!("notices-heading")).size(18)].spacing(8);
        if self.loading {
            list = list.push(text(fl!("notices-loading")).size(13));
        } else if let Some(problem) = &self.problem {
            list = list.push(text(problem).size(13));
        } else if self.list.is_empty() {
            list = list.push(text(fl!("notices-none")).size(13));
        }
        for notice in &self.list {
            let date = notice
                .published_at
                .get(..10)
                .unwrap_or(&notice.published_at);
            list = list.push(
                button(column![text(&notice.title), text(date).size(12)].spacing(2))
                    .style(button::text)
                    .padding(0)
                    .on_press(Message::Toggle(notice.id.clone())),
            );
            if self.open.as_ref() == Some(&notice.id) {
                list = list.push(self.detail(notice));
            }
        }
        scrollable(list).width(280).into()
    }

    fn detail<'a>(&'a self, notice: &'a Announcement) -> Element<'a, Message> {
        let mut detail = column![text(&notice.body).size(13)].spacing(8);
        let files = attachments(notice);
        if !files.is_empty() {
            detail = detail.push(text(fl!("notices-attachments")).size(13));
        }
        for file in files {
            let size = file
                .size
                .map(|bytes| format!(" ({} KB)", bytes.div_ceil(1024)))
                .unwrap_or_default();
            let save = button(text(fl!("notices-save")).size(12))
                .padding([2, 10])
                .style(button::secondary)
                .on_press_maybe((!self.saving).then(|| Message::Save {
                    id: notice.id.clone(),
                    name: file.name.clone(),
                }));
            detail = detail.push(
                row![
                    text(format!("{}{size}", file.name))
                        .size(12)
                        .width(Length::Fill),
                    save
                ]
                .spacing(6)
                .align_y(Alignment::Center),
            );
        }
        if self.saving {
            detail = detail.push(text(fl!("notices-saving")).size(12));
        }
        match &self.outcome {
            Some(Ok(said)) => detail = detail.push(text(said).size(12).style(text::success)),
            Some(Err(said)) => detail = detail.push(text(said).size(12).style(text::danger)),
            None => {}
        }
        container(detail)
            .padding(8)
            .style(container::bordered_box)
            .width(Length::Fill)
            .into()
    }
}

/// Fetch an attachment and write it to `path`, which the clerk chose. The file is written
/// whole or not at all: a half-written file would look like a damaged document.
pub async fn save_attachment(
    agency: AgencyClient,
    id: String,
    name: String,
    path: PathBuf,
) -> Result<PathBuf, Failure> {
    off_thread(move || {
        let bytes = block_on(agency.attachment(&id, &name))??;
        write_whole(&path, &bytes)?;
        Ok(path)
    })
    .await
}

fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Failure::Other(format!("{}: {e}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;

    fn announcement(id: &str, title: &str, body: &str) -> Announcement {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": title, "body": body, "published_at": "2026-11-01T08:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn a_title_opens_its_announcement() {
        let mut notices = Notices::default();
        let list = vec![announcement(
            "1",
            "关于2026年度缴费基数申报的通知",
            "请于12月底前完成申报。",
        )];
        let _ = notices.update(Message::Arrived(Ok(list)));
        assert!(
            simulator(notices.view())
                .find("关于2026年度缴费基数申报的通知")
                .is_ok()
        );
        assert!(
            simulator(notices.view())
                .find("请于12月底前完成申报。")
                .is_err()
        );
        let _ = notices.update(Message::Toggle("1".into()));
        assert!(
            simulator(notices.view())
                .find("请于12月底前完成申报。")
                .is_ok()
        );
    }

    #[test]
    fn offline_it_says_the_announcements_cannot_be_fetched() {
        let mut notices = Notices::default();
        let _ = notices.update(Message::Arrived(Err(Failure::Offline)));
        assert!(
            simulator(notices.view())
                .find(fl!("notices-offline").as_str())
                .is_ok()
        );
    }
}
