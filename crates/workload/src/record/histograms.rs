//! A worker's latency histograms ([`Histograms`]: six HdrHistograms in µs, allocated once per
//! worker), their bounds and their names in the protocol.

use hdrhistogram::Histogram;

/// Largest latency a histogram tracks, in µs (about 17 minutes); larger values are clamped.
pub const HIST_MAX_US: u64 = 1_000_000_000;
/// Significant figures kept by every histogram.
pub const HIST_SIGFIG: u8 = 3;

/// Per-worker histograms, allocated once.
#[derive(Clone, Debug)]
pub struct Histograms {
    /// Pick-up instant − scheduled ring (corrected for coordinated omission).
    pub pickup: Histogram<u64>,
    /// Pick-up instant − when the strategy noticed the ring (the naive, uncorrected figure).
    pub pickup_uncorrected: Histogram<u64>,
    /// Reply finished − when the caller stopped talking.
    pub reply: Histogram<u64>,
    /// Start of an appointment check − due time.
    pub appointment_lateness: Histogram<u64>,
    /// When the strategy noticed a ring − scheduled ring.
    pub ring_lateness: Histogram<u64>,
    /// How late a timer wake-up was (the strategy asked to wake at a scheduled instant).
    pub timer_lateness: Histogram<u64>,
}

/// Names of the histograms in the protocol, in a fixed order.
pub const HISTOGRAM_NAMES: [&str; 6] = [
    "pickup",
    "pickup_uncorrected",
    "reply",
    "appointment_lateness",
    "ring_lateness",
    "timer_lateness",
];

fn new_hist() -> Histogram<u64> {
    #[allow(clippy::expect_used)]
    Histogram::new_with_bounds(1, HIST_MAX_US, HIST_SIGFIG).expect("constant bounds are valid")
}

impl Histograms {
    pub(super) fn new() -> Histograms {
        Histograms {
            pickup: new_hist(),
            pickup_uncorrected: new_hist(),
            reply: new_hist(),
            appointment_lateness: new_hist(),
            ring_lateness: new_hist(),
            timer_lateness: new_hist(),
        }
    }

    /// The histograms with their protocol names.
    pub fn named(&self) -> [(&'static str, &Histogram<u64>); 6] {
        [
            (HISTOGRAM_NAMES[0], &self.pickup),
            (HISTOGRAM_NAMES[1], &self.pickup_uncorrected),
            (HISTOGRAM_NAMES[2], &self.reply),
            (HISTOGRAM_NAMES[3], &self.appointment_lateness),
            (HISTOGRAM_NAMES[4], &self.ring_lateness),
            (HISTOGRAM_NAMES[5], &self.timer_lateness),
        ]
    }

    pub(super) fn named_mut(&mut self) -> [&mut Histogram<u64>; 6] {
        [
            &mut self.pickup,
            &mut self.pickup_uncorrected,
            &mut self.reply,
            &mut self.appointment_lateness,
            &mut self.ring_lateness,
            &mut self.timer_lateness,
        ]
    }
}
