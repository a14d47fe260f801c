//! Binary entry point of the sequential secretary: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "sequential",
        strategy_sequential::ARRANGEMENT,
        strategy_sequential::run,
        strategy_sequential::primitives,
    )
}
