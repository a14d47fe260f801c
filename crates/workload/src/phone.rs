//! The secretary's side of real phone lines (`lines = tcp`): the listening socket the harness
//! hands down, the office's opening announced to the caller process, and a call over a line —
//! [`LineCall`], the steps "frame in → office work → frame out" with no I/O, and
//! [`serve_async`] / [`serve_blocking`], the whole call over any stream. A strategy's TCP code
//! is its runtime's accept, read and write around these, and little else:
//!
//! ```ignore
//! let listener = office.take_listener().expect("lines = tcp");   // a blocking std listener
//! for conn in listener.incoming() {
//!     match conn {
//!         Ok(stream) => { /* on a worker of the strategy's kind: */
//!             stream.set_nodelay(true)?;
//!             let served = workload::phone::serve_blocking(office, &clock, stream);
//!             let closing = served.file(&mut log);
//!         }
//!         Err(_) if office.closed() => break, // the closing bell shut the door
//!         Err(e) => { /* transient (a caller gave up in the queue): go on */ }
//!     }
//! }
//! ```
//!
//! **How the day ends.** The caller process, once every call is over, connects once more and
//! sends [`Frame::Closing`]. Whoever reads it ([`LineCall::hear`]) shuts the listening socket
//! for reading: every accept waiting on it, blocking or readiness-driven, returns an error, and
//! the strategy stops taking calls once [`Office::closed`] says so.
//!
//! **Who is timed by whom.** The strategy still files its own sheets (its pick-ups, its replies)
//! and the harness verifies them; but in tcp mode the published latencies and the missed calls
//! are the caller process's (it keeps the schedule and times every wait from the scheduled
//! instant): the strategy's own pick-up times are published beside them as `self_pickup_us`.
//!
//! **Handing down.** The harness binds `127.0.0.1:0` with an explicit backlog and starts the
//! strategy with the listening socket and the write end of a pipe to the caller as two
//! inherited descriptors, named in [`LINE_FDS_ENV`] (`"3,4"`). The caller reads one line from
//! that pipe, `open <CLOCK_MONOTONIC ns>`, written when the office opens ([`Office::open`]), and
//! rings the schedule from that instant.

use crate::clock::Clock;
use crate::line::{FRAME_LEN, Frame, decode, encode};
use crate::office::Office;
use crate::record::{CallSheet, Logbook};
use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable naming the inherited descriptors: `LISTEN_FD,ANNOUNCE_FD`.
pub const LINE_FDS_ENV: &str = "SECRETARY_LINE_FDS";

/// The office's end of the lines: the listening socket (taken once by the strategy), a handle
/// on the same socket to shut it at closing, and the pipe on which the opening is announced.
#[derive(Debug)]
pub struct Switchboard {
    listener: Mutex<Option<TcpListener>>,
    door: TcpListener,
    announce: Mutex<Option<std::fs::File>>,
    closed: AtomicBool,
}

impl Switchboard {
    /// A switchboard on `listener` (already listening); `announce` receives the opening line
    /// (`None`: nobody is told, e.g. a test whose caller reads the clock another way).
    pub fn new(
        listener: TcpListener,
        announce: Option<std::fs::File>,
    ) -> std::io::Result<Switchboard> {
        listener.set_nonblocking(false)?;
        Ok(Switchboard {
            door: listener.try_clone()?,
            listener: Mutex::new(Some(listener)),
            announce: Mutex::new(announce),
            closed: AtomicBool::new(false),
        })
    }

    /// The switchboard the harness handed down ([`LINE_FDS_ENV`]); an error naming what is
    /// missing when the binary was not started by the harness with `--lines tcp`.
    pub fn inherited() -> Result<Switchboard, String> {
        let not_given = || {
            format!(
                "lines = tcp needs the listening socket the harness hands down ({LINE_FDS_ENV} \
                 is not set): run it through `harness run --lines tcp`"
            )
        };
        let fds = std::env::var(LINE_FDS_ENV).map_err(|_| not_given())?;
        let parse = |s: &str| -> Result<i32, String> {
            s.trim()
                .parse::<i32>()
                .ok()
                .filter(|&fd| fd > 2 && fd_is_open(fd))
                .ok_or_else(|| format!("{LINE_FDS_ENV}={fds}: '{s}' is not an open descriptor"))
        };
        let (l, a) = fds
            .split_once(',')
            .ok_or_else(|| format!("{LINE_FDS_ENV}={fds}: expected LISTEN_FD,ANNOUNCE_FD"))?;
        let (l, a) = (parse(l)?, parse(a)?);
        use std::os::fd::FromRawFd as _;
        // SAFETY: both descriptors were inherited open from the harness (checked above with
        // fcntl) for this purpose alone; nothing else in this process knows or owns them, so
        // each gets exactly one owner here.
        let (listener, announce) =
            unsafe { (TcpListener::from_raw_fd(l), std::fs::File::from_raw_fd(a)) };
        Switchboard::new(listener, Some(announce))
            .map_err(|e| format!("the inherited listening socket is unusable: {e}"))
    }

    pub(crate) fn take_listener(&self) -> Option<TcpListener> {
        self.listener.lock().ok()?.take()
    }

    /// Tells the caller the day's clock started at `start_ns` (`CLOCK_MONOTONIC`).
    pub(crate) fn announce_open(&self, start_ns: u64) {
        if let Some(mut pipe) = self.announce.lock().ok().and_then(|mut a| a.take()) {
            // A caller that is gone shows up as missed calls; nothing to do here.
            let _ = writeln!(pipe, "open {start_ns}");
        }
    }

    /// The closing bell rang: shut the listening socket for reading (waking every accept).
    pub(crate) fn close(&self) {
        if !self.closed.swap(true, Ordering::SeqCst) {
            // Shutting a listening socket for reading stops it listening (Linux): pending and
            // future accepts fail, blocked or readiness-driven alike.
            let _ = rustix::net::shutdown(&self.door, rustix::net::Shutdown::Read);
        }
    }

    pub(crate) fn closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}

/// Raises this process's descriptor limit (soft) to the hard one: a line per call in flight
/// needs a descriptor each. Returns the limit now in effect.
pub fn raise_nofile() -> Option<u64> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut r = getrlimit(Resource::Nofile);
    r.current = r.maximum;
    let _ = setrlimit(Resource::Nofile, r);
    getrlimit(Resource::Nofile).current
}

fn fd_is_open(fd: i32) -> bool {
    // SAFETY: F_GETFD reads the descriptor's flags and touches no memory.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

/// What a line's frame asks of the secretary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Write this frame to the caller, then wait for their next one.
    Say(Frame),
    /// Write this frame and the call is over (the last reply, or a hello with no exchanges):
    /// then [`LineCall::done`] (or [`LineCall::gone`] if the write failed).
    SayLast(Frame),
    /// The caller had hung up before the pick-up: close the line; [`LineCall::done`] is a
    /// missed call's sheet.
    HangUp,
    /// The closing bell: stop taking calls (the listening socket is already shut).
    Closing,
}

/// One call over a line, from the secretary's side, with no I/O: feed it each frame read, do
/// what the [`Step`] says.
#[derive(Debug, Default)]
pub struct LineCall {
    sheet: Option<CallSheet>,
}

impl LineCall {
    /// A line just accepted, nobody has said anything yet.
    #[must_use]
    pub fn new() -> LineCall {
        LineCall::default()
    }

    /// The caller said `frame`: does the office work it asks for, now, and says what to write.
    /// An error names what was wrong (a frame out of turn, a call not in today's schedule).
    pub fn hear(&mut self, office: &Office, clock: &Clock, frame: Frame) -> Result<Step, String> {
        match (&mut self.sheet, frame) {
            (None, Frame::Ring { call }) => {
                let noticed = clock.now_ns();
                let calls = office.calls();
                let c = usize::try_from(call)
                    .ok()
                    .and_then(|i| calls.get(i))
                    .ok_or_else(|| {
                        format!(
                            "ring for call {call}, not in today's schedule (0..{})",
                            calls.len()
                        )
                    })?;
                if !office.mark_rung(c.id()) {
                    return Err(format!("call {call} rang twice"));
                }
                let sheet = office.pick_up(c, clock, noticed);
                let step = if !sheet.answered {
                    Step::HangUp
                } else {
                    let hello = Frame::Hello {
                        call,
                        value: sheet.value,
                    };
                    if sheet.exchanges_left == 0 {
                        Step::SayLast(hello)
                    } else {
                        Step::Say(hello)
                    }
                };
                self.sheet = Some(sheet);
                Ok(step)
            }
            (None, Frame::Closing { .. }) => {
                office.close_lines();
                Ok(Step::Closing)
            }
            (Some(sheet), Frame::Talk { call, exchange })
                if call == u64::from(sheet.id)
                    && exchange == office.spec().exchanges - sheet.exchanges_left =>
            {
                office.heard(sheet, clock);
                let before = sheet.value;
                office.reply(sheet, clock);
                let reply = Frame::Reply {
                    call,
                    exchange,
                    value: sheet.value.wrapping_sub(before),
                };
                Ok(if sheet.exchanges_left == 0 {
                    Step::SayLast(reply)
                } else {
                    Step::Say(reply)
                })
            }
            (sheet, f) => Err(format!(
                "{f:?} out of turn on the line of {}",
                sheet
                    .as_ref()
                    .map_or("a call not yet rung".to_owned(), |s| format!(
                        "call {}",
                        s.id
                    ))
            )),
        }
    }

    /// The call is over as the steps said: its sheet.
    #[must_use]
    pub fn done(self) -> Served {
        match self.sheet {
            Some(sheet) => Served::Call(sheet),
            None => Served::Stray("the line closed before any ring".to_owned()),
        }
    }

    /// The line broke (`why`: EOF, reset, broken pipe, a bad frame) before the call was over.
    #[must_use]
    pub fn gone(self, why: impl Into<String>) -> Served {
        match self.sheet {
            Some(sheet) if sheet.answered => Served::Gone(sheet),
            Some(sheet) => Served::Call(sheet),
            None => Served::Stray(why.into()),
        }
    }
}

/// How a line ended, for the logbook.
#[derive(Debug)]
pub enum Served {
    /// A call, over: answered to the last reply, or missed (picked up after the caller's
    /// patience: they had hung up).
    Call(CallSheet),
    /// The caller hung up after the pick-up (the line closed or reset mid-call): filed as a
    /// missed call, counted in `callers_gone`.
    Gone(CallSheet),
    /// The closing bell: the office stops taking calls.
    Closing,
    /// A connection that never said which call it was: counted in `stray_lines`.
    Stray(String),
}

impl Served {
    /// Files it in `log`; true if it was the closing bell.
    pub fn file(self, log: &mut Logbook) -> bool {
        match self {
            Served::Call(sheet) => log.file_call(sheet),
            Served::Gone(sheet) => log.file_gone(sheet),
            Served::Closing => return true,
            Served::Stray(why) => log.file_stray(&why),
        }
        false
    }
}

/// A line in an async runtime: read one whole frame, write one whole frame. Each async strategy
/// implements it on a newtype around its runtime's stream, usually with `read_exact` and
/// `write_all`.
pub trait AsyncLine {
    /// Reads exactly [`FRAME_LEN`] bytes (an error at EOF or reset).
    fn read_frame(
        &mut self,
        buf: &mut [u8; FRAME_LEN],
    ) -> impl Future<Output = std::io::Result<()>>;
    /// Writes the whole frame.
    fn write_frame(&mut self, buf: &[u8; FRAME_LEN]) -> impl Future<Output = std::io::Result<()>>;
}

/// A whole call over `line`: read the ring, pick up, then hear each talk and reply, until the
/// call is over or the caller is gone. The waits are the runtime's own I/O readiness.
pub async fn serve_async<L: AsyncLine>(office: &Office, clock: &Clock, line: &mut L) -> Served {
    let mut call = LineCall::new();
    let mut buf = [0u8; FRAME_LEN];
    loop {
        if let Err(e) = line.read_frame(&mut buf).await {
            return call.gone(format!("reading: {e}"));
        }
        let frame = match decode(&buf) {
            Ok(f) => f,
            Err(e) => return call.gone(e.to_string()),
        };
        match call.hear(office, clock, frame) {
            Ok(Step::Say(f)) => {
                if let Err(e) = line.write_frame(&encode(&f)).await {
                    return call.gone(format!("writing: {e}"));
                }
            }
            Ok(Step::SayLast(f)) => {
                return match line.write_frame(&encode(&f)).await {
                    Ok(()) => call.done(),
                    Err(e) => call.gone(format!("writing: {e}")),
                };
            }
            Ok(Step::HangUp) => return call.done(),
            Ok(Step::Closing) => return Served::Closing,
            Err(e) => return call.gone(e),
        }
    }
}

/// A blocking stream as an [`AsyncLine`] whose futures are ready at once.
struct Blocking<S>(S);

impl<S: Read + Write> AsyncLine for Blocking<S> {
    async fn read_frame(&mut self, buf: &mut [u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.read_exact(buf)
    }
    async fn write_frame(&mut self, buf: &[u8; FRAME_LEN]) -> std::io::Result<()> {
        self.0.write_all(buf)
    }
}

/// [`serve_async`] over a blocking stream (`std::net::TcpStream`, `may::net::TcpStream`): the
/// calling thread or coroutine blocks in each read while the caller talks.
pub fn serve_blocking<S: Read + Write>(office: &Office, clock: &Clock, stream: S) -> Served {
    let mut line = Blocking(stream);
    let fut = std::pin::pin!(serve_async(office, clock, &mut line));
    // Every await inside completes at once (blocking I/O), so one poll runs it to the end.
    match fut.poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(served) => served,
        std::task::Poll::Pending => unreachable!("blocking reads and writes never pend"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Lines, Scenario};
    use std::io::Cursor;

    /// A stream whose reads come from `input` and whose writes are kept.
    struct Script {
        input: Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.output.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn office() -> Office {
        let mut spec = Scenario::Office.spec();
        spec.duration_us = 200_000;
        spec.exchanges = 2;
        spec.lines = Lines::Tcp;
        Office::new(spec, None).unwrap()
    }

    fn script(frames: &[Frame]) -> Script {
        Script {
            input: Cursor::new(frames.iter().flat_map(encode).collect()),
            output: Vec::new(),
        }
    }

    #[test]
    fn a_whole_call_answers_every_talk_with_the_reference_values() {
        let office = office();
        let clock = office.open();
        // Call 0 rang at its ring instant (the day starts there; wait for it).
        clock.sleep_until(office.calls()[0].ring_us());
        let mut s = script(&[
            Frame::Ring { call: 0 },
            Frame::Talk {
                call: 0,
                exchange: 0,
            },
            Frame::Talk {
                call: 0,
                exchange: 1,
            },
        ]);
        let served = serve_blocking(&office, &clock, &mut s);
        let said = crate::line::Decoder::new().feed_all(&s.output).unwrap();
        assert_eq!(said.len(), 3, "{said:?}");
        let spec = office.spec();
        let expect = |x: u32, units: u64| {
            crate::work::units(crate::office::call_key(spec.seed, 0, x), 0..units)
        };
        assert_eq!(
            said[0],
            Frame::Hello {
                call: 0,
                value: expect(0, spec.pickup_work)
            }
        );
        assert_eq!(
            said[2],
            Frame::Reply {
                call: 0,
                exchange: 1,
                value: expect(2, spec.reply_work)
            }
        );
        let mut log = office.logbook();
        assert!(matches!(served, Served::Call(ref s) if s.answered()));
        assert!(!served.file(&mut log));
        assert_eq!(log.counters().answered_calls, 1);
    }

    #[test]
    fn a_caller_gone_mid_call_is_a_missed_call_and_counted() {
        let office = office();
        let clock = office.open();
        clock.sleep_until(office.calls()[0].ring_us());
        // The caller rings, hears hello, and hangs up (EOF) instead of talking.
        let served = serve_blocking(&office, &clock, script(&[Frame::Ring { call: 0 }]));
        assert!(matches!(served, Served::Gone(_)), "{served:?}");
        let mut log = office.logbook();
        served.file(&mut log);
        let c = log.counters();
        assert_eq!(
            (c.answered_calls, c.missed_calls, c.callers_gone),
            (0, 1, 1)
        );
    }

    #[test]
    fn garbage_and_out_of_turn_frames_are_reported_never_a_panic() {
        let office = office();
        let clock = office.open();
        let mut log = office.logbook();
        let bytes = Script {
            input: Cursor::new(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
            output: Vec::new(),
        };
        assert!(matches!(
            serve_blocking(&office, &clock, bytes),
            Served::Stray(ref why) if why.contains("not a phone-line frame")
        ));
        let talk_first = script(&[Frame::Talk {
            call: 0,
            exchange: 0,
        }]);
        let served = serve_blocking(&office, &clock, talk_first);
        assert!(matches!(served, Served::Stray(ref w) if w.contains("out of turn")));
        served.file(&mut log);
        let unknown = script(&[Frame::Ring { call: 1 << 40 }]);
        let served = serve_blocking(&office, &clock, unknown);
        assert!(matches!(served, Served::Stray(ref w) if w.contains("not in today's schedule")));
        served.file(&mut log);
        assert_eq!(log.counters().stray_lines, 2);
        assert!(log.notes()[0].contains("out of turn"), "{:?}", log.notes());
    }

    #[test]
    fn the_closing_bell_shuts_the_door_and_wakes_a_blocked_accept() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let office = office().with_switchboard(Switchboard::new(listener, None).unwrap());
        let clock = office.open();
        let l = office.take_listener().unwrap();
        assert!(office.take_listener().is_none(), "taken once");
        std::thread::scope(|s| {
            let acceptor = s.spawn(move || {
                let mut served = 0;
                for conn in l.incoming() {
                    match conn {
                        Ok(stream) => {
                            if serve_blocking(&office, &clock, stream).file(&mut office.logbook()) {
                                continue; // the closing line itself: the door is shut now
                            }
                            served += 1;
                        }
                        Err(_) if office.closed() => break,
                        Err(e) => panic!("accept: {e}"),
                    }
                }
                served
            });
            let mut bell = std::net::TcpStream::connect(addr).unwrap();
            bell.write_all(&encode(&Frame::Closing { call: 0 }))
                .unwrap();
            assert_eq!(acceptor.join().unwrap(), 0);
        });
        assert!(
            std::net::TcpStream::connect(addr).is_err(),
            "nobody listens"
        );
    }
}
