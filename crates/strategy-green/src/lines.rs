//! The green secretary over real lines (`lines = tcp`): the switchboard coroutine's loop, in
//! the ringer's place. Its `accept` on may's listener parks it until a caller connects, and
//! each connection gets a coroutine of its own that serves the call whole as plain blocking
//! code (`workload::phone::serve_blocking` over may's stream).

use crate::coroutines::{KEEP_FOR_DESK, Live, go};
use may::sync::mpsc::Sender;
use workload::phone::{Served, serve_blocking};
use workload::{Clock, Logbook, Office};

/// Over real lines: accepts each connection and gives it a coroutine that serves it whole,
/// until the closing bell shuts the listening socket. A connection that gets no coroutine is
/// closed (its caller hangs up).
pub(crate) fn answer<'a>(
    office: &'a Office,
    listener: &may::net::TcpListener,
    clock: Clock,
    live: &'a Live,
    sheets: &Sender<Served>,
) -> Logbook {
    let mut log = office.logbook();
    for conn in listener.incoming() {
        let stream = match conn {
            Ok(stream) => stream,
            Err(_) if office.closed() => break,
            Err(e) => {
                log.note(format!("accept failed: {e}"));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let sheets = sheets.clone();
        let started = go(live, KEEP_FOR_DESK, move || {
            let _ = sheets.send(serve_blocking(office, &clock, stream));
        });
        if let Err(e) = started {
            log.could_not_answer(format!("a line: {e}"));
        }
    }
    log
}
