//! Binary entry point of the rayon secretaries: the shared `strategy_main` does the rest.
fn main() -> std::process::ExitCode {
    workload::strategy_main(
        "rayon",
        strategy_rayon::ARRANGEMENT,
        strategy_rayon::run,
        strategy_rayon::primitives,
    )
}
