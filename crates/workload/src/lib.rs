//! The secretary workload: everything every strategy shares, and nothing any runtime owns.
//!
//! - [`spec`]: the parameters and the named scenarios;
//! - [`schedule`]: the seeded, open-loop day (when calls ring, when appointments fall due);
//! - [`work`]: the deterministic CPU kernel in work units;
//! - [`office`]: what a strategy is handed, and the shared steps of the job;
//! - [`record`]: call/desk sheets and per-worker logbooks (HdrHistograms, digest, missed ids);
//! - [`protocol`]: the JSON document a strategy writes to stdout;
//! - [`reference`]: the expected digest and the verification of a report;
//! - [`entry`]: `strategy_main`, the whole `main` of a strategy binary;
//! - [`conformance`]: the checks every strategy crate runs from its tests.
//!
//! Invariant: this crate depends on no async runtime, thread pool or coroutine library.

pub mod clock;
pub mod conformance;
pub mod entry;
pub mod office;
pub mod protocol;
pub mod record;
pub mod reference;
pub mod schedule;
pub mod spec;
pub mod threads;
mod timer_slack;
pub mod work;

pub use clock::Clock;
pub use entry::{RunFn, strategy_main};
pub use office::Office;
pub use record::Logbook;
pub use schedule::{Appointment, Call, Event};
pub use spec::{Scenario, Spec};
