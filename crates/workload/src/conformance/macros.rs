//! [`strategy_tests!`](crate::conformance::strategy_tests): the `#[test]` functions of a
//! strategy crate's shared checks, written from its name and paths (usage in the
//! [module's header](crate::conformance)).
//!
//! `macro_rules!` cannot make a test's name out of a core count, so each core count gets a
//! module named from a small table (`on_1_core`, `on_2_cores`, …) holding that count's tests;
//! the day checks live under `conformance::`, the primitives check under `primitives::`. The
//! modules see the test file's own items (`use super::*`), so the paths may also name a local
//! function (a `run` with a tighter budget, say).

/// Writes the `#[test]` functions of a strategy crate's shared checks (see
/// [`workload::conformance`](crate::conformance) for the usage):
///
/// ```text
/// name: "<name>", run: <path>, arrangement: <path>, primitives: <path>
/// [, cores: [<n>, …]]                                  (default [1, 2])
/// [, primitives_on: [<n> [lacking ["<primitive>", …]], …]]   (default [1])
/// [, on_calling_thread: true | false]                  (default false)
/// ```
///
/// Core counts 1, 2, 3, 4, 8 and 16 have test names; another is a compile error naming the
/// table to extend:
///
/// ```compile_fail
/// # mod strategy_mine {
/// #     use workload::{Arrangement, Logbook, Office, Primitives, PrimitivesSpec};
/// #     pub const ARRANGEMENT: Arrangement = Arrangement::SEQUENTIAL;
/// #     pub fn run(_: &Office, _: usize) -> Logbook { unimplemented!() }
/// #     pub fn primitives(_: &PrimitivesSpec, _: usize) -> Primitives { unimplemented!() }
/// # }
/// workload::conformance::strategy_tests! {
///     name: "mine",
///     run: strategy_mine::run,
///     arrangement: strategy_mine::ARRANGEMENT,
///     primitives: strategy_mine::primitives,
///     cores: [5],
/// }
/// # fn main() {}
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __strategy_tests {
    (
        name: $name:literal,
        run: $run:path,
        arrangement: $arrangement:path,
        primitives: $primitives:path
        $(, cores: [$($cores:tt),* $(,)?])?
        $(, primitives_on: [$($on:tt $(lacking [$($lacking:literal),* $(,)?])?),* $(,)?])?
        $(, on_calling_thread: $one:tt)?
        $(,)?
    ) => {
        $crate::conformance::strategy_tests!(@defaults
            ($name, $run, $arrangement, $primitives)
            cores ($([$($cores),*])?)
            primitives ($([$($on $(lacking [$($lacking),*])?),*])?)
            one [$($one)?]
        );
    };

    // Defaults where a list was left out (an empty list given stays empty): the day checks on
    // 1 and 2 cores, the primitives on 1 core.
    (@defaults $strategy:tt cores () $($rest:tt)*) => {
        $crate::conformance::strategy_tests!(@defaults $strategy cores ([1, 2]) $($rest)*);
    };
    (@defaults $strategy:tt cores $cores:tt primitives () one $one:tt) => {
        $crate::conformance::strategy_tests!(
            @defaults $strategy cores $cores primitives ([1]) one $one
        );
    };
    (@defaults $strategy:tt cores ($cores:tt) primitives ($on:tt) one $one:tt) => {
        $crate::conformance::strategy_tests!(@write $strategy cores $cores primitives $on one $one);
    };

    (@write ($name:literal, $run:path, $arrangement:path, $primitives:path)
        cores [$($cores:tt),*]
        primitives [$($on:tt $(lacking [$($lacking:literal),*])?),*]
        one $one:tt
    ) => {
        /// The shared day checks, a module per core count.
        mod conformance {
            #[allow(unused_imports)]
            use super::*;
            $($crate::conformance::strategy_tests!(
                @named $cores @days ($name, $run, $arrangement) $one
            );)*
        }
        /// The shape of the `--primitives` figures, a module per core count.
        mod primitives {
            #[allow(unused_imports)]
            use super::*;
            $($crate::conformance::strategy_tests!(
                @named $on @primitives $primitives [$($($lacking),*)?]
            );)*
        }
    };

    // The table: a module name for each core count, handed on with the count.
    (@named 1 $($then:tt)*) => { $crate::conformance::strategy_tests!($($then)* on_1_core 1); };
    (@named 2 $($then:tt)*) => { $crate::conformance::strategy_tests!($($then)* on_2_cores 2); };
    (@named 3 $($then:tt)*) => { $crate::conformance::strategy_tests!($($then)* on_3_cores 3); };
    (@named 4 $($then:tt)*) => { $crate::conformance::strategy_tests!($($then)* on_4_cores 4); };
    (@named 8 $($then:tt)*) => { $crate::conformance::strategy_tests!($($then)* on_8_cores 8); };
    (@named 16 $($then:tt)*) => {
        $crate::conformance::strategy_tests!($($then)* on_16_cores 16);
    };
    (@named $cores:tt $($then:tt)*) => {
        compile_error!(concat!(
            "strategy_tests!: no test names for ",
            stringify!($cores),
            " cores; add them to the table in workload's conformance/macros.rs"
        ));
    };

    (@days ($name:literal, $run:path, $arrangement:path) [$($one:tt)?] $module:ident $cores:tt) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn conforms() {
                $crate::conformance::check_strategy($name, $run, $cores);
            }

            #[test]
            fn declared_arrangement_holds() {
                $crate::conformance::check_declared($name, $arrangement, $run, $cores);
            }

            #[test]
            fn conforms_over_tcp() {
                $crate::conformance::check_strategy_tcp($name, $run, $cores);
            }

            $crate::conformance::strategy_tests!(@one_thread [$($one)?] $name, $run, $cores);
        }
    };

    (@one_thread [true] $name:literal, $run:path, $cores:tt) => {
        #[test]
        fn runs_on_the_calling_thread() {
            $crate::conformance::check_on_calling_thread($name, $run, $cores);
        }
    };
    (@one_thread [$(false)?] $($rest:tt)*) => {};
    (@one_thread [$other:tt] $($rest:tt)*) => {
        compile_error!(concat!(
            "strategy_tests!: on_calling_thread is true or false, not ",
            stringify!($other)
        ));
    };

    (@primitives $primitives:path [$($lacking:literal),*] $module:ident $cores:tt) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn every_figure_or_a_reason() {
                $crate::conformance::check_primitives($primitives, $cores, &[$($lacking),*]);
            }
        }
    };
}
