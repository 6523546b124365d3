//! A tick every so often, for polling the agency's feedback. The executor has no timer of its
//! own, so a small thread sleeps and sends; it ends when the subscription drops the stream.

use std::time::Duration;

use iced::futures::Stream;
use iced::futures::channel::mpsc;

pub fn every(period: Duration) -> impl Stream<Item = ()> {
    let (mut ticks, stream) = mpsc::channel(1);
    let spawned = std::thread::Builder::new()
        .name("shebao-poll".into())
        .spawn(move || {
            loop {
                std::thread::sleep(period);
                match ticks.try_send(()) {
                    Ok(()) => {}
                    // The last tick is still waiting: nothing is lost by skipping this one.
                    Err(e) if e.is_full() => {}
                    Err(_) => return,
                }
            }
        });
    if let Err(e) = spawned {
        // The clerk can still press 刷新; say why the results do not come by themselves.
        eprintln!("警告 / warning: feedback polling cannot start: {e}");
    }
    stream
}
