//! The phone line's wire format, sans I/O: the frames a caller and a secretary exchange over a
//! real connection (issue 11's loopback TCP lines), and a streaming decoder that takes bytes as
//! they arrive in whatever pieces a socket hands them over. No socket, no runtime: each
//! strategy's TCP code is its runtime's accept/read/write around [`encode`] and [`Decoder`].
//!
//! A call over a line: the caller connects at the scheduled ring and sends [`Frame::Ring`];
//! the secretary picks up and writes [`Frame::Hello`] with the value its pick-up work computed;
//! for each exchange the caller talks ([`Frame::Talk`]) and the secretary answers with
//! [`Frame::Reply`] and that reply's value. A caller who gives up closes the connection. When
//! every call of the day is over, the caller connects once more and sends [`Frame::Closing`].
//!
//! Every frame is [`FRAME_LEN`] bytes, little-endian: `b'S'`, the version, the kind, a zero
//! byte, the exchange (u32), the call id (u64), the value (u64). Fixed-size frames keep the
//! decoder trivial and make garbage detectable at its first byte.

use thiserror::Error;

/// Bytes in one frame.
pub const FRAME_LEN: usize = 24;
/// First byte of every frame.
pub const MAGIC: u8 = b'S';
/// The wire format's version.
pub const VERSION: u8 = 1;

/// One message on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Caller → secretary, on connecting: the call's id.
    Ring { call: u64 },
    /// Secretary → caller: picked up; the pick-up work's value.
    Hello { call: u64, value: u64 },
    /// Caller → secretary: exchange `exchange` (0-based) begins; the secretary must reply.
    Talk { call: u64, exchange: u32 },
    /// Secretary → caller: the reply to `exchange` and its work's value.
    Reply {
        call: u64,
        exchange: u32,
        value: u64,
    },
    /// Caller → secretary, on one last connection once every call of the day is over: the
    /// office may close (stop taking calls). `call` is the number of calls the caller placed.
    Closing { call: u64 },
}

impl Frame {
    fn kind(&self) -> u8 {
        match self {
            Frame::Ring { .. } => 1,
            Frame::Hello { .. } => 2,
            Frame::Talk { .. } => 3,
            Frame::Reply { .. } => 4,
            Frame::Closing { .. } => 5,
        }
    }

    /// The call this frame belongs to.
    #[must_use]
    pub fn call(&self) -> u64 {
        match *self {
            Frame::Ring { call }
            | Frame::Hello { call, .. }
            | Frame::Talk { call, .. }
            | Frame::Reply { call, .. }
            | Frame::Closing { call } => call,
        }
    }
}

/// What can be wrong with the bytes on a line.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("not a phone-line frame: first byte {0:#04x}, expected {MAGIC:#04x} ('S')")]
    BadMagic(u8),
    #[error("phone-line frame version {0}, this build speaks version {VERSION}")]
    BadVersion(u8),
    #[error(
        "unknown phone-line frame kind {0} (valid: 1 ring, 2 hello, 3 talk, 4 reply, 5 closing)"
    )]
    UnknownKind(u8),
    #[error("phone-line frame with a non-zero reserved byte {0:#04x}")]
    Reserved(u8),
    #[error("the line closed inside a frame: {0} of {FRAME_LEN} bytes")]
    Truncated(usize),
}

/// The frame's bytes.
#[must_use]
pub fn encode(frame: &Frame) -> [u8; FRAME_LEN] {
    let (exchange, value) = match *frame {
        Frame::Ring { .. } | Frame::Closing { .. } => (0, 0),
        Frame::Hello { value, .. } => (0, value),
        Frame::Talk { exchange, .. } => (exchange, 0),
        Frame::Reply {
            exchange, value, ..
        } => (exchange, value),
    };
    let mut b = [0u8; FRAME_LEN];
    b[0] = MAGIC;
    b[1] = VERSION;
    b[2] = frame.kind();
    b[4..8].copy_from_slice(&exchange.to_le_bytes());
    b[8..16].copy_from_slice(&frame.call().to_le_bytes());
    b[16..24].copy_from_slice(&value.to_le_bytes());
    b
}

/// One frame from exactly [`FRAME_LEN`] bytes.
pub fn decode(b: &[u8; FRAME_LEN]) -> Result<Frame, FrameError> {
    if b[0] != MAGIC {
        return Err(FrameError::BadMagic(b[0]));
    }
    if b[1] != VERSION {
        return Err(FrameError::BadVersion(b[1]));
    }
    if b[3] != 0 {
        return Err(FrameError::Reserved(b[3]));
    }
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let u64_at = |i: usize| {
        let mut x = [0u8; 8];
        x.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(x)
    };
    let (exchange, call, value) = (u32_at(4), u64_at(8), u64_at(16));
    Ok(match b[2] {
        1 => Frame::Ring { call },
        2 => Frame::Hello { call, value },
        3 => Frame::Talk { call, exchange },
        4 => Frame::Reply {
            call,
            exchange,
            value,
        },
        5 => Frame::Closing { call },
        k => return Err(FrameError::UnknownKind(k)),
    })
}

/// A streaming decoder: feed it bytes as they arrive, take whole frames out.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: [u8; FRAME_LEN],
    have: usize,
}

impl Decoder {
    /// A decoder with nothing buffered.
    #[must_use]
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Takes bytes from the front of `bytes` until a frame is complete or `bytes` is used up;
    /// returns how many it took and the frame, if one completed. Call again with the rest.
    pub fn feed(&mut self, bytes: &[u8]) -> (usize, Option<Result<Frame, FrameError>>) {
        let take = (FRAME_LEN - self.have).min(bytes.len());
        self.buf[self.have..self.have + take].copy_from_slice(&bytes[..take]);
        self.have += take;
        if self.have < FRAME_LEN {
            // Garbage shows at its first byte: no need to wait for a whole frame.
            if self.have > 0 && self.buf[0] != MAGIC {
                let bad = self.buf[0];
                self.have = 0;
                return (take, Some(Err(FrameError::BadMagic(bad))));
            }
            return (take, None);
        }
        self.have = 0;
        (take, Some(decode(&self.buf)))
    }

    /// Every frame in `bytes`, in order, stopping at the first error.
    pub fn feed_all(&mut self, mut bytes: &[u8]) -> Result<Vec<Frame>, FrameError> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let (took, frame) = self.feed(bytes);
            bytes = &bytes[took..];
            if let Some(f) = frame {
                out.push(f?);
            }
        }
        Ok(out)
    }

    /// The line closed: an error if it closed inside a frame.
    pub fn finish(&self) -> Result<(), FrameError> {
        if self.have == 0 {
            Ok(())
        } else {
            Err(FrameError::Truncated(self.have))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> [Frame; 5] {
        [
            Frame::Ring { call: 7 },
            Frame::Hello {
                call: 7,
                value: 0xdead_beef_0000_0001,
            },
            Frame::Talk {
                call: u64::MAX,
                exchange: 3,
            },
            Frame::Reply {
                call: 1 << 40,
                exchange: u32::MAX,
                value: 42,
            },
            Frame::Closing { call: 1_000 },
        ]
    }

    #[test]
    fn round_trip_whole_and_byte_by_byte() {
        let bytes: Vec<u8> = all().iter().flat_map(encode).collect();
        assert_eq!(Decoder::new().feed_all(&bytes).unwrap(), all());
        // The same bytes one at a time, as a slow socket would hand them over.
        let mut d = Decoder::new();
        let mut got = Vec::new();
        for b in &bytes {
            if let (1, Some(f)) = d.feed(std::slice::from_ref(b)) {
                got.push(f.unwrap());
            }
        }
        assert_eq!(got, all());
        d.finish().unwrap();
    }

    #[test]
    fn a_truncated_frame_is_an_error_at_close() {
        let bytes = encode(&Frame::Ring { call: 1 });
        let mut d = Decoder::new();
        assert!(d.feed_all(&bytes[..10]).unwrap().is_empty());
        assert_eq!(d.finish(), Err(FrameError::Truncated(10)));
    }

    #[test]
    fn garbage_is_a_clear_error_never_a_panic() {
        let mut d = Decoder::new();
        let e = d.feed_all(b"GET / HTTP/1.1\r\n").unwrap_err();
        assert_eq!(e, FrameError::BadMagic(b'G'));
        assert!(e.to_string().contains("not a phone-line frame"));
        let mut frame = encode(&Frame::Ring { call: 1 });
        frame[2] = 9;
        assert_eq!(decode(&frame), Err(FrameError::UnknownKind(9)));
        frame[2] = 1;
        frame[1] = 2;
        assert_eq!(decode(&frame), Err(FrameError::BadVersion(2)));
        frame[1] = VERSION;
        frame[3] = 1;
        assert_eq!(decode(&frame), Err(FrameError::Reserved(1)));
        // Every single-byte corruption of a frame decodes or errs; none panics.
        let good = encode(&Frame::Reply {
            call: 5,
            exchange: 1,
            value: 9,
        });
        for i in 0..FRAME_LEN {
            for v in [0u8, 1, 0x53, 0xff] {
                let mut b = good;
                b[i] = v;
                let _ = decode(&b);
            }
        }
    }
}
