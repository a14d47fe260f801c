//! A small blocking caller for the strategy crates' tests over real lines: a thread per call
//! rings on schedule, waits for the hello within the caller's patience, talks and hears every
//! reply, then one more connection rings the closing bell. It is the oracle of
//! [`crate::conformance::check_strategy_tcp`], not a measuring instrument: the harness's
//! `caller` binary (one event-driven thread, open loop, HdrHistograms) is what results use.

use crate::clock::instant_of_monotonic;
use crate::line::{FRAME_LEN, Frame, decode, encode};
use crate::schedule::Schedule;
use crate::spec::Spec;
use std::io::{BufRead as _, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// How long a test caller waits for a reply before calling the line dead.
const REPLY_WAIT: Duration = Duration::from_secs(10);

/// What the callers heard.
#[derive(Clone, Debug, Default)]
pub struct Heard {
    /// Calls heard to the last reply: (call id, hello value + every reply value, wrapping).
    pub answered: Vec<(u32, u64)>,
    /// Calls not picked up within patience (the caller hung up).
    pub missed: Vec<u32>,
    /// Calls picked up whose line then broke or went silent: what went wrong.
    pub broken: Vec<(u32, String)>,
}

fn read_frame(s: &mut TcpStream) -> std::io::Result<Frame> {
    let mut b = [0u8; FRAME_LEN];
    s.read_exact(&mut b)?;
    decode(&b).map_err(std::io::Error::other)
}

enum Outcome {
    Answered(u64),
    Missed,
    Broken(String),
}

fn one_call(spec: &Spec, addr: SocketAddr, id: u32, ring: Instant) -> Outcome {
    let now = Instant::now();
    if ring > now {
        std::thread::sleep(ring - now);
    }
    let gives_up = ring + Duration::from_micros(spec.patience_us);
    let Ok(mut s) = TcpStream::connect(addr) else {
        return Outcome::Missed; // nobody there: the phone just rings
    };
    let _ = s.set_nodelay(true);
    if s.write_all(&encode(&Frame::Ring { call: id.into() }))
        .is_err()
    {
        return Outcome::Missed;
    }
    let wait = gives_up
        .saturating_duration_since(Instant::now())
        .max(Duration::from_micros(1));
    let _ = s.set_read_timeout(Some(wait));
    let mut total = match read_frame(&mut s) {
        Ok(Frame::Hello { call, value }) if call == u64::from(id) => value,
        Ok(f) => return Outcome::Broken(format!("expected hello, heard {f:?}")),
        Err(_) => return Outcome::Missed,
    };
    if Instant::now() > gives_up {
        return Outcome::Missed; // the hello came after they had hung up
    }
    let _ = s.set_read_timeout(Some(REPLY_WAIT));
    for x in 0..spec.exchanges {
        std::thread::sleep(Duration::from_micros(spec.listen_us));
        let talk = Frame::Talk {
            call: id.into(),
            exchange: x,
        };
        if let Err(e) = s.write_all(&encode(&talk)) {
            return Outcome::Broken(format!("talk {x}: {e}"));
        }
        match read_frame(&mut s) {
            Ok(Frame::Reply {
                call,
                exchange,
                value,
            }) if call == u64::from(id) && exchange == x => total = total.wrapping_add(value),
            Ok(f) => return Outcome::Broken(format!("expected reply {x}, heard {f:?}")),
            Err(e) => return Outcome::Broken(format!("reply {x}: {e}")),
        }
    }
    Outcome::Answered(total)
}

/// Plays every caller of `spec`'s day against `addr`, from the instant announced on
/// `announce` (`open <ns>`), then rings the closing bell. Blocks until all are done.
pub fn call_the_office(
    spec: &Spec,
    addr: SocketAddr,
    announce: impl std::io::Read,
) -> Result<Heard, String> {
    let mut line = String::new();
    std::io::BufReader::new(announce)
        .read_line(&mut line)
        .map_err(|e| format!("reading the opening: {e}"))?;
    let ns: u64 = line
        .trim()
        .strip_prefix("open ")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("the office announced {line:?}, expected 'open <ns>'"))?;
    let start = instant_of_monotonic(ns);
    let schedule = Schedule::generate(spec);
    let outcomes: Vec<(u32, Outcome)> = std::thread::scope(|s| {
        let callers: Vec<_> = schedule
            .calls
            .iter()
            .map(|c| {
                let ring = start + Duration::from_micros(c.ring_us());
                let id = c.id();
                s.spawn(move || (id, one_call(spec, addr, id, ring)))
            })
            .collect();
        callers
            .into_iter()
            .map(|c| c.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut heard = Heard::default();
    for (id, o) in outcomes {
        match o {
            Outcome::Answered(v) => heard.answered.push((id, v)),
            Outcome::Missed => heard.missed.push(id),
            Outcome::Broken(why) => heard.broken.push((id, why)),
        }
    }
    let mut bell = TcpStream::connect(addr).map_err(|e| format!("closing bell: {e}"))?;
    bell.write_all(&encode(&Frame::Closing {
        call: schedule.calls.len() as u64,
    }))
    .map_err(|e| format!("closing bell: {e}"))?;
    Ok(heard)
}
