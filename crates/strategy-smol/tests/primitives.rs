//! `--primitives` on this crate's runtime, in shape only: every figure measured or, where the
//! arrangement has no such thing, a reason. (The figures are `harness primitives`' to report.)

#[test]
fn primitives_have_every_figure_or_a_reason() {
    workload::conformance::check_primitives(strategy_smol::primitives, 1, &[]);
}
