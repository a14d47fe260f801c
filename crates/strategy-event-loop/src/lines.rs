//! The event loop's real phone lines (`lines = tcp`): the listening socket and every caller's
//! connection registered in ONE `mio::Poll` (epoll). Nobody waits on a line: a caller who talks
//! is a socket that will become readable. [`Lines::look`] takes in whatever the sockets have
//! (new callers, frames, room to write) without doing any office work; what callers said waits
//! on the phone's to-do list, and [`Lines::answer`] is ONE step of the loop — one frame heard
//! (the pick-up's or the reply's work, in [`LineCall::hear`]) and its answer written.
//!
//! The wait for the next deadline is a timerfd in the same poll: `epoll_wait`'s own timeout
//! counts whole milliseconds (mio rounds it up), which would take a due appointment up to 1 ms
//! late; a timerfd wakes it to the microsecond, as async-io's reactor (`polling`) does.

use mio::net::{TcpListener, TcpStream};
use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Registry, Token};
use rustix::time::{Itimerspec, TimerfdClockId, TimerfdFlags, TimerfdTimerFlags, Timespec};
use std::collections::{HashMap, VecDeque};
use std::io::{self, ErrorKind, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;
use workload::line::{Decoder, Frame, encode};
use workload::phone::{LineCall, Served, Step};
use workload::{Clock, Logbook, Office};

/// The listening socket's token; a connection's is its number of the day (never reused, so a
/// stale entry on the to-do list cannot reach a newer line).
const DOOR: Token = Token(usize::MAX);
/// The timerfd's token.
const ALARM: Token = Token(usize::MAX - 1);

/// What a caller said, waiting for its turn on the phone.
enum Said {
    Frame(Frame),
    /// The line broke (EOF, reset, not a frame): why.
    Broke(String),
}

/// One caller's connection.
struct Line {
    stream: TcpStream,
    call: LineCall,
    decoder: Decoder,
    /// What a write could not send yet (the socket was full): sent when it is writable again.
    unsent: Vec<u8>,
    /// The last frame is said: the call ends once `unsent` is sent.
    over: bool,
    /// Reading ended (EOF, an error, garbage): the line has nothing more to say.
    deaf: bool,
}

impl Line {
    fn new(stream: TcpStream) -> Line {
        Line {
            stream,
            call: LineCall::new(),
            decoder: Decoder::new(),
            unsent: Vec::new(),
            over: false,
            deaf: false,
        }
    }

    /// Sends what it can of `unsent`; if the socket is full, also watches it for room to
    /// write. True once everything is sent.
    fn flush(&mut self, registry: &Registry, token: Token) -> io::Result<bool> {
        while !self.unsent.is_empty() {
            match self.stream.write(&self.unsent) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => drop(self.unsent.drain(..n)),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    let both = Interest::READABLE | Interest::WRITABLE;
                    registry.reregister(&mut self.stream, token, both)?;
                    return Ok(false);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// Reads until the socket is drained, putting every whole frame on the to-do list.
    fn read(&mut self, token: usize, said: &mut VecDeque<(usize, Said)>) {
        let mut buf = [0u8; 1024];
        while !self.deaf {
            let broke = match self.stream.read(&mut buf) {
                Ok(0) => "the caller hung up".to_owned(),
                Ok(n) => {
                    let (mut bytes, mut garbage) = (&buf[..n], None);
                    while !bytes.is_empty() && garbage.is_none() {
                        let (took, frame) = self.decoder.feed(bytes);
                        bytes = &bytes[took..];
                        match frame {
                            Some(Ok(f)) => said.push_back((token, Said::Frame(f))),
                            Some(Err(e)) => garbage = Some(e.to_string()),
                            None => {}
                        }
                    }
                    match garbage {
                        Some(why) => why,
                        None => continue,
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) => format!("reading: {e}"),
            };
            said.push_back((token, Said::Broke(broke)));
            self.deaf = true;
        }
    }
}

/// The event loop's switchboard: the poll and what it watches.
pub(crate) struct Lines {
    poll: Poll,
    events: Events,
    /// The timerfd (`None` if it could not be made: then epoll's millisecond timeout).
    alarm: Option<OwnedFd>,
    board: Board,
}

/// The door, the lines open, and what callers said that is still to be answered.
struct Board {
    door: Option<TcpListener>,
    lines: HashMap<usize, Line>,
    next: usize,
    said: VecDeque<(usize, Said)>,
}

impl Lines {
    /// Registers the listening socket the office handed down, and the alarm.
    pub(crate) fn open(listener: std::net::TcpListener) -> io::Result<Lines> {
        listener.set_nonblocking(true)?;
        let mut door = TcpListener::from_std(listener);
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut door, DOOR, Interest::READABLE)?;
        let flags = TimerfdFlags::NONBLOCK | TimerfdFlags::CLOEXEC;
        let alarm = rustix::time::timerfd_create(TimerfdClockId::Monotonic, flags)
            .map_err(io::Error::from)
            .and_then(|fd| {
                let source = &mut SourceFd(&fd.as_raw_fd());
                poll.registry()
                    .register(source, ALARM, Interest::READABLE)
                    .map(|()| fd)
            });
        Ok(Lines {
            poll,
            events: Events::with_capacity(1024),
            alarm: alarm.ok(),
            board: Board {
                door: Some(door),
                lines: HashMap::new(),
                next: 0,
                said: VecDeque::new(),
            },
        })
    }

    /// The closing bell rang, every line is over and everything said was answered.
    pub(crate) fn closed(&self) -> bool {
        let b = &self.board;
        b.door.is_none() && b.lines.is_empty() && b.said.is_empty()
    }

    /// Waits in `epoll_wait` up to `wait` (`None`: until a socket is ready; zero: just a look)
    /// and takes in what the ready sockets have. True if a socket was ready (not the alarm).
    pub(crate) fn look(
        &mut self,
        wait: Option<Duration>,
        office: &Office,
        log: &mut Logbook,
    ) -> bool {
        if let (Some(alarm), Some(wait)) = (&self.alarm, wait.filter(|w| !w.is_zero())) {
            let zero = Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            let at = Itimerspec {
                it_interval: zero,
                it_value: Timespec::try_from(wait).unwrap_or(zero),
            };
            // Re-arming resets it; a failure leaves epoll's own (millisecond) timeout.
            let _ = rustix::time::timerfd_settime(alarm, TimerfdTimerFlags::empty(), &at);
        }
        match self.poll.poll(&mut self.events, wait) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => return false,
            Err(e) => panic!("epoll_wait failed: {e}"),
        }
        let (registry, board) = (self.poll.registry(), &mut self.board);
        let mut socket = false;
        for ev in self.events.iter().filter(|ev| ev.token() != ALARM) {
            socket = true;
            let token = ev.token().0;
            if ev.token() == DOOR {
                board.accept(registry, office, log);
                continue;
            }
            let Some(line) = board.lines.get_mut(&token) else {
                continue;
            };
            if ev.is_writable() {
                match line.flush(registry, ev.token()) {
                    Ok(true) if line.over => board.hang_up(token, Ok(()), log),
                    Ok(_) => {}
                    Err(e) => board.hang_up(token, Err(format!("writing: {e}")), log),
                }
            }
            if let Some(line) = board.lines.get_mut(&token)
                && (ev.is_readable() || ev.is_read_closed() || ev.is_error())
            {
                line.read(token, &mut board.said);
            }
        }
        socket
    }

    /// ONE step on the phone: hears the first thing a caller said — the pick-up's or the
    /// reply's work happens here — and writes the answer. False if nobody said anything.
    pub(crate) fn answer(&mut self, office: &Office, clock: &Clock, log: &mut Logbook) -> bool {
        let (registry, board) = (self.poll.registry(), &mut self.board);
        let Some((token, said)) = board.said.pop_front() else {
            return false;
        };
        let Some(line) = board.lines.get_mut(&token) else {
            return true; // the call was already over (e.g. the caller's EOF after the last reply)
        };
        let heard = match said {
            Said::Frame(frame) => line.call.hear(office, clock, frame),
            Said::Broke(why) => Err(why),
        };
        let mut say = |frame: &Frame| {
            line.unsent.extend_from_slice(&encode(frame));
            line.flush(registry, Token(token))
                .map_err(|e| format!("writing: {e}"))
        };
        let ended = match heard {
            Ok(Step::Say(frame)) => say(&frame).err().map(Err),
            Ok(Step::SayLast(frame)) => {
                let sent = say(&frame);
                line.over = true;
                sent.map_or_else(|e| Some(Err(e)), |all| all.then_some(Ok(())))
            }
            Ok(Step::HangUp) => Some(Ok(())),
            Ok(Step::Closing) => {
                Served::Closing.file(log);
                board.lines.remove(&token);
                board.accept(registry, office, log); // the door is shut now: its accept errs
                None
            }
            Err(why) => Some(Err(why)),
        };
        if let Some(how) = ended {
            board.hang_up(token, how, log);
        }
        true
    }
}

impl Board {
    /// Takes every caller waiting at the door; once the closing bell has shut it (its
    /// accept errs), stops watching it.
    fn accept(&mut self, registry: &Registry, office: &Office, log: &mut Logbook) {
        while let Some(door) = &mut self.door {
            match door.accept() {
                Ok((mut stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let token = self.next;
                    self.next += 1;
                    match registry.register(&mut stream, Token(token), Interest::READABLE) {
                        Ok(()) => drop(self.lines.insert(token, Line::new(stream))),
                        Err(e) => log.note(format!("could not watch line {token}: {e}")),
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(_) if office.closed() => {
                    let _ = registry.deregister(door);
                    self.door = None;
                }
                Err(e) => return log.note(format!("accept failed: {e}")),
            }
        }
    }

    /// The call on line `token` is over (`Ok`) or the line broke (`Err(why)`): files its
    /// sheet and closes the connection.
    fn hang_up(&mut self, token: usize, how: Result<(), String>, log: &mut Logbook) {
        if let Some(line) = self.lines.remove(&token) {
            let served = match how {
                Ok(()) => line.call.done(),
                Err(why) => line.call.gone(why),
            };
            served.file(log);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that would block keeps the rest, watches for room, and sends it when there is.
    #[test]
    fn a_full_socket_keeps_the_rest_until_it_is_writable() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut caller = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let stream = listener.accept().unwrap().0;
        stream.set_nonblocking(true).unwrap();
        let (mut poll, mut events) = (Poll::new().unwrap(), Events::with_capacity(8));
        let mut line = Line::new(TcpStream::from_std(stream));
        let token = Token(0);
        poll.registry()
            .register(&mut line.stream, token, Interest::READABLE)
            .unwrap();
        // Far more than the kernel buffers hold while the caller does not read.
        line.unsent = vec![b'S'; 64 << 20];
        assert!(!line.flush(poll.registry(), token).unwrap(), "would block");
        let kept = line.unsent.len();
        assert!(kept > 0 && kept < 64 << 20);
        let reader = std::thread::spawn(move || {
            let mut all = Vec::new();
            caller.read_to_end(&mut all).map(|_| all.len())
        });
        while !line.unsent.is_empty() {
            poll.poll(&mut events, Some(Duration::from_secs(10)))
                .unwrap();
            assert!(events.iter().any(|e| e.token() == token && e.is_writable()));
            line.flush(poll.registry(), token).unwrap();
        }
        drop(line);
        assert_eq!(reader.join().unwrap().unwrap(), 64 << 20);
    }
}
