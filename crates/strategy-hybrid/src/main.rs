//! Binary entry point of the hybrid secretaries: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "hybrid",
        strategy_hybrid::ARRANGEMENT,
        strategy_hybrid::run,
        strategy_hybrid::primitives,
    )
}
