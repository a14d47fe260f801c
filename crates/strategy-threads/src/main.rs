//! Binary entry point of the threads secretary: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "threads",
        strategy_threads::ARRANGEMENT,
        strategy_threads::run,
        strategy_threads::primitives,
    )
}
