//! The yardstick for shebao's start-up: an iced window with one line of text, built with the
//! same features and measured the same way (`cargo xtask bench startup`). With
//! `SHEBAO_BENCH=first-frame` it exits after its first frame, as shebao does.

use iced::widget::text;
use iced::{Element, Subscription, Task};

#[derive(Debug, Clone)]
struct Frame;

fn update(_: &mut (), _: Frame) -> Task<Frame> {
    iced::exit()
}

fn view(_: &()) -> Element<'_, Frame> {
    text("bare window").into()
}

fn subscription(_: &()) -> Subscription<Frame> {
    if std::env::var("SHEBAO_BENCH").is_ok_and(|v| v == "first-frame") {
        iced::window::frames().map(|_| Frame)
    } else {
        Subscription::none()
    }
}

fn main() -> iced::Result {
    iced::application(|| (), update, view)
        .subscription(subscription)
        .window_size((1024.0, 768.0))
        .run()
}
