//! Binary entry point of the green-threads secretary: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "green",
        strategy_green::ARRANGEMENT,
        strategy_green::run,
        strategy_green::primitives,
    )
}
