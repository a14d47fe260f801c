//! Test support for the crates above (the `fixtures` feature; never in a release build).

/// The arrangements the seed strategies declare (their crates' `ARRANGEMENT`), by name, for
/// tests of what the harness does with a declaration; any other name is undeclared.
#[must_use]
pub fn declared(name: &str) -> Option<workload::Arrangement> {
    use workload::{Arrangement, Desk, Switching, Workers};
    let with = |workers, switching, desk| Arrangement {
        workers,
        switching,
        timer_check_polls: None,
        desk,
    };
    match name.strip_prefix("strategy-").unwrap_or(name) {
        "sequential" => Some(Arrangement::SEQUENTIAL),
        "threads" => Some(with(
            Workers::PerCall,
            Switching::Preemptive,
            Desk::OneWorker,
        )),
        "green" => Some(with(
            Workers::Cores,
            Switching::Cooperative,
            Desk::OneWorker,
        )),
        "async-std" => Some(Arrangement::one_cooperative(Some(200))),
        "rayon" => Some(with(
            Workers::Cores,
            Switching::RunToCompletion,
            Desk::SplitAcrossCores,
        )),
        _ => None,
    }
}
