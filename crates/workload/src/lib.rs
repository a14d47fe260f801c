//! The secretary workload: everything every strategy shares, and nothing any runtime owns.
//!
//! - [`arrangement`]: what a strategy declares it is (workers, switching, desk);
//! - [`spec`]: the parameters and the named scenarios;
//! - [`schedule`]: the seeded, open-loop day (when calls ring, when appointments fall due);
//! - [`work`]: the deterministic CPU kernel in work units;
//! - [`office`]: what a strategy is handed, and the shared steps of the job;
//! - [`record`]: call/desk sheets and per-worker logbooks (HdrHistograms, digest, missed ids);
//! - [`protocol`]: the JSON document a strategy writes to stdout;
//! - [`reference`]: the expected digest and the verification of a report;
//! - [`entry`]: `strategy_main`, the whole `main` of a strategy binary;
//! - [`primitives`]: what one switch costs — the report and helpers of `--primitives`;
//! - [`line`]: the phone line's wire format over a real connection (frames, a streaming
//!   decoder; sans I/O);
//! - [`phone`]: the secretary's side of a real line — the switchboard the harness hands down,
//!   a call's steps "frame in → office work → frame out", and drivers over any stream;
//! - [`conformance`]: the checks every strategy crate runs from its tests.
//!
//! Invariant: this crate depends on no async runtime, thread pool or coroutine library.
//!
//! # The sealed API
//!
//! A strategy gets the schedule and the shared steps, and files only what the steps made
//! (see [`record`] for what filing checks). It cannot make up a call, or move its ring:
//!
//! ```compile_fail
//! let call = workload::Call { id: 0, ring_us: 0 };
//! ```
//!
//! nor write a logbook's digest or counters:
//!
//! ```compile_fail
//! let mut log = workload::Logbook::new();
//! log.digest = 0x5ec2_e7a2;
//! ```
//!
//! ```compile_fail
//! let log = workload::Logbook::new();
//! log.counters().answered_calls += 1;
//! ```
//!
//! nor add a finished desk chunk twice:
//!
//! ```compile_fail
//! fn twice(done: workload::record::ChunkDone) -> [workload::record::ChunkDone; 2] {
//!     [done.clone(), done]
//! }
//! ```
//!
//! nor build its own report from a logbook:
//!
//! ```compile_fail
//! fn mine(office: &workload::Office, log: workload::Logbook) -> workload::protocol::Report {
//!     workload::protocol::Report::new("mine", 1, office, log, 1.0)
//! }
//! ```

pub mod arrangement;
pub mod clock;
pub mod conformance;
pub mod crash;
pub mod entry;
pub mod line;
pub mod office;
pub mod phone;
pub mod primitives;
pub mod protocol;
pub mod record;
pub mod reference;
pub mod schedule;
pub mod spec;
pub mod test_caller;
pub mod threads;
mod timer_slack;
pub mod work;

pub use arrangement::{Arrangement, Desk, Switching, Workers};
pub use clock::Clock;
pub use entry::{RunFn, strategy_main};
pub use office::Office;
pub use primitives::{Outcome, Primitives, PrimitivesSpec};
pub use record::Logbook;
pub use schedule::{Appointment, Call, Event};
pub use spec::{REFERENCE_NS_PER_UNIT, Scenario, ScenarioCpu, Spec};
