//! Finds the strategies: every executable named `strategy-<name>` next to the harness binary
//! (cargo puts all of a workspace's binaries in one folder, and `scripts/compare.sh` copies
//! them together for machines without a toolchain). Adding a crate folder whose package is
//! called `strategy-<name>` is the whole registration.

use std::path::{Path, PathBuf};

/// The prefix that makes a binary a strategy.
pub const PREFIX: &str = "strategy-";

/// A strategy binary found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Strategy {
    /// Name without the prefix, e.g. `threads`.
    pub name: String,
    /// Path of the executable.
    pub bin: PathBuf,
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Strategies in `dir`, sorted by name. Files with an extension (`.d`, `.rlib`, ...) are
/// build by-products, not strategies.
#[must_use]
pub fn in_dir(dir: &Path) -> Vec<Strategy> {
    let mut v: Vec<Strategy> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().into_string().ok()?;
            let name = file.strip_prefix(PREFIX)?;
            let bin = e.path();
            (!name.is_empty() && !name.contains('.') && is_executable(&bin)).then(|| Strategy {
                name: name.to_owned(),
                bin,
            })
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// The folder strategies are looked up in: `$SECRETARY_BIN_DIR` if set, else the folder of
/// the running harness executable.
#[must_use]
pub fn default_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SECRETARY_BIN_DIR") {
        return PathBuf::from(d);
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The preferred display order: the five the project was designed around first, then the
/// rest alphabetically.
#[must_use]
pub fn ordered(mut v: Vec<Strategy>) -> Vec<Strategy> {
    const FIRST: [&str; 5] = ["sequential", "threads", "green", "async-std", "rayon"];
    v.sort_by_key(|s| {
        (
            FIRST
                .iter()
                .position(|f| *f == s.name)
                .unwrap_or(FIRST.len()),
            s.name.clone(),
        )
    });
    v
}
