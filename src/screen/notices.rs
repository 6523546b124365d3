//! 系统公告: the agency's announcements, listed beside the login form as in the seed system;
//! a title opens its text. Fetched without logging in (the agency publishes them openly).

use iced::widget::{button, column, container, scrollable, text};
use iced::{Element, Length, Task};
use shebao_sync::block_on;
use shebao_sync::wire::Announcement;

use super::failure::Failure;
use super::session::{Services, off_thread};
use crate::fl;

#[derive(Debug, Clone)]
pub enum Message {
    Arrived(Result<Vec<Announcement>, Failure>),
    Toggle(String),
}

#[derive(Debug, Default)]
pub struct Notices {
    list: Vec<Announcement>,
    /// The announcement whose text is shown.
    open: Option<String>,
    /// Why there is no list (offline…); the login itself may still work later.
    problem: Option<String>,
    loading: bool,
}

impl Notices {
    pub fn load(services: Services) -> (Self, Task<Message>) {
        let fetch = off_thread(move || {
            let client = services.agency.map_err(Failure::Setup)?;
            Ok(block_on(client.announcements(None))??)
        });
        let notices = Self {
            loading: true,
            ..Self::default()
        };
        (notices, Task::perform(fetch, Message::Arrived))
    }

    pub fn update(&mut self, message: Message) {
        match message {
            Message::Arrived(Ok(mut list)) => {
                // Newest first, as the seed system lists them.
                list.sort_by(|a, b| b.published_at.cmp(&a.published_at));
                self.list = list;
                self.loading = false;
            }
            Message::Arrived(Err(failure)) => {
                self.loading = false;
                self.problem = Some(match failure {
                    Failure::Offline => fl!("notices-offline"),
                    other => other.message(),
                });
            }
            Message::Toggle(id) => {
                self.open = if self.open.as_ref() == Some(&id) {
                    None
                } else {
                    Some(id)
                };
            }
        }
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
                list = list.push(
                    container(text(&notice.body).size(13))
                        .padding(8)
                        .style(container::bordered_box)
                        .width(Length::Fill),
                );
            }
        }
        scrollable(list).width(280).into()
    }
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
        notices.update(Message::Arrived(Ok(list)));
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
        notices.update(Message::Toggle("1".into()));
        assert!(
            simulator(notices.view())
                .find("请于12月底前完成申报。")
                .is_ok()
        );
    }

    #[test]
    fn offline_it_says_the_announcements_cannot_be_fetched() {
        let mut notices = Notices::default();
        notices.update(Message::Arrived(Err(Failure::Offline)));
        assert!(
            simulator(notices.view())
                .find(fl!("notices-offline").as_str())
                .is_ok()
        );
    }
}
