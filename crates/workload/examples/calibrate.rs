//! Prints this machine's nanoseconds per work unit (the figure the harness records in env.json).
fn main() {
    eprintln!(
        "{:.1} ns per work unit",
        workload::work::calibrate_ns_per_unit()
    );
}
