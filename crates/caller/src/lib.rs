//! The caller process (`caller` binary): every caller of the day played over real loopback
//! lines and timed from outside the strategy, as wrk2 times a server. One event-driven thread
//! (mio), open loop: each call connects at its scheduled ring instant whatever the strategy is
//! doing, so a late secretary never delays the next ring. It records, in HdrHistograms (µs):
//! pick-up (scheduled ring → hello received), reply (talk sent → reply received), every caller's
//! wait (answered at pick-up, missed at patience) and its own lateness (scheduled ring → connect
//! issued). A caller not greeted within patience hangs up (closes the line): the caller's record
//! is the truth for missed calls. The values heard go into a digest the harness checks against
//! the reference, so in tcp mode both the work and the timing are checked outside the strategy.
//!
//! It starts when the office announces its opening on standard input (`open <CLOCK_MONOTONIC
//! ns>`, see `workload::phone`), rings the schedule from that instant, and once every call is
//! over connects once more to ring the closing bell. It prints one JSON line, [`CallerReport`].

use hdrhistogram::Histogram;
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::{ErrorKind, Read as _, Write as _};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use workload::line::{Decoder, FRAME_LEN, Frame, encode};
use workload::protocol::encode_histogram;
use workload::record::call_contribution;
use workload::schedule::Schedule;
use workload::spec::Spec;

/// The report's format version.
pub const CALLER_VERSION: u32 = 1;
/// How long a caller who was picked up waits for each reply before calling the line dead.
pub const REPLY_WAIT: Duration = Duration::from_secs(30);
/// How many broken calls the report names.
const BROKEN_NAMED: usize = 10;

/// What the caller process measured and heard: one JSON line on its stdout.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CallerReport {
    pub protocol: u32,
    /// Calls in the schedule.
    pub offered: u64,
    /// Greeted within patience and heard to the last reply.
    pub answered: u64,
    /// Not greeted within patience (hung up), refused, or hung up on by the secretary.
    pub missed: u64,
    /// Greeted, then the line broke or went silent before the last reply.
    pub broken: u64,
    /// Ids of the missed calls, ascending.
    pub missed_ids: Vec<u32>,
    /// Ids of the broken calls, ascending.
    pub broken_ids: Vec<u32>,
    /// The first few broken calls and what happened.
    pub broken_examples: Vec<(u32, String)>,
    /// Wrapping sum of `call_contribution(id, hello + replies)` over the answered calls (hex).
    pub digest: String,
    /// `pickup`, `reply`, `wait_all`, `lateness` (µs), as in the strategy's report.
    pub histograms: BTreeMap<String, String>,
    /// Most connections open at once (the caller's side).
    pub peak_connections: u64,
    /// Connections the kernel refused (nobody listening).
    pub refused: u64,
    /// Callers who hung up (patience over) before their connection was even made: on loopback
    /// a connect completes in µs unless the listener's accept queue was full and the kernel
    /// dropped the SYN (the client retries after about 1 s).
    #[serde(default)]
    pub never_connected: u64,
    /// The first error opening a connection other than a refusal (e.g. out of descriptors).
    pub connect_error: Option<String>,
    /// The descriptor limit the caller ran under (soft, after raising it to the hard limit).
    pub nofile_limit: Option<u64>,
    /// Whether the closing bell was heard by the strategy (its connection was accepted).
    pub closing_rang: bool,
}

#[derive(Debug)]
enum Phase {
    Connecting,
    AwaitHello,
    Listening(u32),
    AwaitReply(u32, Instant),
}

#[derive(Debug)]
struct Line {
    stream: TcpStream,
    phase: Phase,
    decoder: Decoder,
    heard: u64,
}

fn hist() -> Histogram<u64> {
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(
        1,
        workload::record::HIST_MAX_US,
        workload::record::HIST_SIGFIG,
    )
    .expect("constant bounds")
}

fn us(d: Duration) -> u64 {
    d.as_micros().min(u128::from(u64::MAX)) as u64
}

/// A timerfd registered with the poll: mio's own timeout has millisecond granularity
/// (epoll_wait), which would make every ring up to 1 ms late; a timerfd wakes the poll at the
/// nanosecond asked for.
struct Alarm {
    file: std::fs::File,
}

/// The poll token of the alarm (no call has this id).
const ALARM: Token = Token(usize::MAX);

impl Alarm {
    fn new() -> std::io::Result<Alarm> {
        use rustix::time::{TimerfdClockId, TimerfdFlags, timerfd_create};
        let fd = timerfd_create(
            TimerfdClockId::Monotonic,
            TimerfdFlags::NONBLOCK | TimerfdFlags::CLOEXEC,
        )?;
        Ok(Alarm {
            file: std::fs::File::from(fd),
        })
    }

    /// Rings at `at` (or at once if it has passed); `None` disarms it.
    fn set(&self, at: Option<Instant>) {
        use rustix::time::{Itimerspec, TimerfdTimerFlags, Timespec, timerfd_settime};
        let zero = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        let mut value = zero;
        if let Some(at) = at {
            let (now, now_ns) = workload::clock::instant_and_monotonic();
            let ns = now_ns + at.saturating_duration_since(now).as_nanos() as u64;
            // An absolute time of 0 would disarm it: at least 1 ns.
            let ns = ns.max(1);
            value = Timespec {
                tv_sec: (ns / 1_000_000_000) as _,
                tv_nsec: (ns % 1_000_000_000) as _,
            };
        }
        let spec = Itimerspec {
            it_interval: zero,
            it_value: value,
        };
        let _ = timerfd_settime(&self.file, TimerfdTimerFlags::ABSTIME, &spec);
    }

    /// Takes the expiry count so the descriptor stops being readable.
    fn drain(&self) {
        let mut buf = [0u8; 8];
        let _ = (&self.file).read(&mut buf);
    }
}

/// What happens next to a line.
enum Next {
    Keep,
    Answered,
    Missed,
    Broken(String),
}

struct Day {
    spec: Spec,
    rings: Vec<Instant>,
    lines: Vec<Option<Line>>,
    /// (when, call, what): patience ends (`false`) or the caller starts talking (`true`).
    timers: BinaryHeap<Reverse<(Instant, u32, bool)>>,
    open: u64,
    report: CallerReport,
    pickup: Histogram<u64>,
    reply: Histogram<u64>,
    wait_all: Histogram<u64>,
    lateness: Histogram<u64>,
    digest: u64,
    done: usize,
}

impl Day {
    fn patience(&self) -> Duration {
        Duration::from_micros(self.spec.patience_us)
    }

    fn ring(&mut self, poll: &Poll, addr: SocketAddr, id: u32) {
        let issued = Instant::now();
        let _ = self
            .lateness
            .record(us(issued.saturating_duration_since(self.rings[id as usize])));
        match TcpStream::connect(addr) {
            Ok(mut stream) => {
                let _ = stream.set_nodelay(true);
                // On loopback the handshake usually completes inside connect: say who is
                // calling at once (no wait for a writable event), else once it completes.
                let phase = if stream.peer_addr().is_ok()
                    && stream
                        .write_all(&encode(&Frame::Ring { call: id.into() }))
                        .is_ok()
                {
                    Phase::AwaitHello
                } else {
                    Phase::Connecting
                };
                let token = Token(id as usize);
                if let Err(e) = poll.registry().register(
                    &mut stream,
                    token,
                    Interest::READABLE | Interest::WRITABLE,
                ) {
                    self.connect_failed(id, &e);
                    return;
                }
                self.open += 1;
                self.report.peak_connections = self.report.peak_connections.max(self.open);
                self.lines[id as usize] = Some(Line {
                    stream,
                    phase,
                    decoder: Decoder::new(),
                    heard: 0,
                });
                let gives_up = self.rings[id as usize] + self.patience();
                self.timers.push(Reverse((gives_up, id, false)));
            }
            Err(e) => self.connect_failed(id, &e),
        }
    }

    fn connect_failed(&mut self, id: u32, e: &std::io::Error) {
        if e.kind() == ErrorKind::ConnectionRefused {
            self.report.refused += 1;
        } else if self.report.connect_error.is_none() {
            self.report.connect_error = Some(format!(
                "call {id}: cannot open a connection: {e} ({} open)",
                self.open
            ));
        }
        self.finish(id, Next::Missed);
    }

    /// The call's line is over: close it and count it.
    fn finish(&mut self, id: u32, how: Next) {
        if matches!(how, Next::Keep) {
            return;
        }
        if let Some(line) = self.lines[id as usize].take() {
            drop(line);
            self.open -= 1;
        }
        let patience = us(self.patience());
        match how {
            Next::Keep => {}
            Next::Answered => {
                self.report.answered += 1;
            }
            Next::Missed => {
                self.report.missed += 1;
                self.report.missed_ids.push(id);
                let _ = self.wait_all.record(patience.max(1));
            }
            Next::Broken(why) => {
                self.report.broken += 1;
                self.report.broken_ids.push(id);
                if self.report.broken_examples.len() < BROKEN_NAMED {
                    self.report.broken_examples.push((id, why));
                }
            }
        }
        self.done += 1;
    }

    /// A line became ready: move its call along.
    fn ready(&mut self, id: u32, now: Instant) -> Next {
        let ring = self.rings[id as usize];
        let (patience, listen, exchanges) = (
            self.patience(),
            Duration::from_micros(self.spec.listen_us),
            self.spec.exchanges,
        );
        let Some(line) = self.lines[id as usize].as_mut() else {
            return Next::Keep;
        };
        if matches!(line.phase, Phase::Connecting) {
            match line.stream.peer_addr() {
                Ok(_) => {
                    if line
                        .stream
                        .write_all(&encode(&Frame::Ring { call: id.into() }))
                        .is_err()
                    {
                        return Next::Missed;
                    }
                    line.phase = Phase::AwaitHello;
                }
                Err(e) if e.kind() == ErrorKind::NotConnected => {
                    return match line.stream.take_error() {
                        Ok(Some(_)) => Next::Missed, // refused or reset while connecting
                        _ => Next::Keep,             // still connecting
                    };
                }
                Err(_) => return Next::Missed,
            }
        }
        let mut buf = [0u8; 4 * FRAME_LEN];
        loop {
            let n = match line.stream.read(&mut buf) {
                Ok(0) => {
                    return match line.phase {
                        Phase::Connecting | Phase::AwaitHello => Next::Missed, // hung up on
                        _ => Next::Broken("the secretary closed the line mid-call".into()),
                    };
                }
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Next::Keep,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    return match line.phase {
                        Phase::Connecting | Phase::AwaitHello => Next::Missed,
                        _ => Next::Broken(format!("reading: {e}")),
                    };
                }
            };
            let frames = match line.decoder.feed_all(&buf[..n]) {
                Ok(f) => f,
                Err(e) => return Next::Broken(e.to_string()),
            };
            for frame in frames {
                match (&line.phase, frame) {
                    (Phase::AwaitHello, Frame::Hello { call, value }) if call == u64::from(id) => {
                        let waited = now.saturating_duration_since(ring);
                        if waited > patience {
                            return Next::Missed; // they had hung up by then
                        }
                        let _ = self.pickup.record(us(waited).max(1));
                        let _ = self.wait_all.record(us(waited).max(1));
                        line.heard = value;
                        if exchanges == 0 {
                            self.digest = self.digest.wrapping_add(call_contribution(id, value));
                            return Next::Answered;
                        }
                        line.phase = Phase::Listening(0);
                        self.timers.push(Reverse((now + listen, id, true)));
                    }
                    (
                        &Phase::AwaitReply(x, sent),
                        Frame::Reply {
                            call,
                            exchange,
                            value,
                        },
                    ) if call == u64::from(id) && exchange == x => {
                        let _ = self
                            .reply
                            .record(us(now.saturating_duration_since(sent)).max(1));
                        line.heard = line.heard.wrapping_add(value);
                        if x + 1 == exchanges {
                            self.digest =
                                self.digest.wrapping_add(call_contribution(id, line.heard));
                            return Next::Answered;
                        }
                        line.phase = Phase::Listening(x + 1);
                        self.timers.push(Reverse((now + listen, id, true)));
                    }
                    (phase, f) => return Next::Broken(format!("heard {f:?} while {phase:?}")),
                }
            }
        }
    }

    /// A timer fired: the caller gives up, or starts talking.
    fn timer(&mut self, id: u32, talk: bool, now: Instant) -> Next {
        let Some(line) = self.lines[id as usize].as_mut() else {
            return Next::Keep;
        };
        match (&line.phase, talk) {
            (Phase::Connecting, false) => {
                self.report.never_connected += 1;
                Next::Missed
            }
            (Phase::AwaitHello, false) => Next::Missed,
            (&Phase::Listening(x), true) => {
                let talk = Frame::Talk {
                    call: id.into(),
                    exchange: x,
                };
                if let Err(e) = line.stream.write_all(&encode(&talk)) {
                    return Next::Broken(format!("talking: {e}"));
                }
                line.phase = Phase::AwaitReply(x, now);
                self.timers.push(Reverse((now + REPLY_WAIT, id, false)));
                Next::Keep
            }
            (&Phase::AwaitReply(x, sent), false) if now >= sent + REPLY_WAIT => {
                Next::Broken(format!("no reply {x} within {} s", REPLY_WAIT.as_secs()))
            }
            _ => Next::Keep, // a stale timer
        }
    }
}

/// Plays the day of `spec` against `addr`; `announce` is where the office's opening is read.
pub fn call(
    spec: &Spec,
    addr: SocketAddr,
    announce: impl std::io::BufRead,
) -> anyhow::Result<CallerReport> {
    let nofile = workload::phone::raise_nofile();
    let mut line = String::new();
    let mut announce = announce;
    announce.read_line(&mut line)?;
    let ns: u64 = line
        .trim()
        .strip_prefix("open ")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("the office never opened (heard {line:?})"))?;
    let start = workload::clock::instant_of_monotonic(ns);
    let schedule = Schedule::generate(spec);
    let n = schedule.calls.len();
    let mut day = Day {
        spec: spec.clone(),
        rings: schedule
            .calls
            .iter()
            .map(|c| start + Duration::from_micros(c.ring_us()))
            .collect(),
        lines: (0..n).map(|_| None).collect(),
        timers: BinaryHeap::new(),
        open: 0,
        report: CallerReport {
            protocol: CALLER_VERSION,
            offered: n as u64,
            nofile_limit: nofile,
            ..CallerReport::default()
        },
        pickup: hist(),
        reply: hist(),
        wait_all: hist(),
        lateness: hist(),
        digest: 0,
        done: 0,
    };
    let mut poll = Poll::new()?;
    let alarm = Alarm::new()?;
    {
        use std::os::fd::AsRawFd as _;
        poll.registry().register(
            &mut mio::unix::SourceFd(&alarm.file.as_raw_fd()),
            ALARM,
            Interest::READABLE,
        )?;
    }
    let mut events = Events::with_capacity(1024);
    let mut next = 0usize;
    while day.done < n {
        let now = Instant::now();
        let wake = [
            day.rings.get(next).copied(),
            day.timers.peek().map(|t| t.0.0),
        ]
        .into_iter()
        .flatten()
        .min();
        if wake.is_none_or(|w| w > now) {
            alarm.set(wake);
            poll.poll(&mut events, None)?;
        } else {
            events.clear();
        }
        // Rings first: open loop, on schedule whatever the lines are doing.
        while next < n && day.rings[next] <= Instant::now() {
            day.ring(&poll, addr, next as u32);
            next += 1;
        }
        let now = Instant::now();
        if events.iter().any(|e| e.token() == ALARM) {
            alarm.drain();
        }
        let ready: Vec<u32> = events
            .iter()
            .filter(|e| e.token() != ALARM)
            .map(|e| e.token().0 as u32)
            .collect();
        for id in ready {
            let how = day.ready(id, now);
            day.finish(id, how);
        }
        while day.timers.peek().is_some_and(|t| t.0.0 <= now) {
            if let Some(Reverse((_, id, talk))) = day.timers.pop() {
                let how = day.timer(id, talk, now);
                day.finish(id, how);
            }
        }
    }
    day.report.closing_rang = std::net::TcpStream::connect(addr)
        .and_then(|mut bell| bell.write_all(&encode(&Frame::Closing { call: n as u64 })))
        .is_ok();
    let mut r = day.report;
    r.missed_ids.sort_unstable();
    r.broken_ids.sort_unstable();
    r.digest = format!("{:016x}", day.digest);
    for (name, h) in [
        ("pickup", &day.pickup),
        ("reply", &day.reply),
        ("wait_all", &day.wait_all),
        ("lateness", &day.lateness),
    ] {
        r.histograms.insert(name.to_owned(), encode_histogram(h));
    }
    Ok(r)
}
