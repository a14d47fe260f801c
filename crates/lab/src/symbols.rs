//! Names where a strategy crashed. A strategy that dies of a fault writes, through its fault
//! handler (`workload::crash`), a headline — `fatal SIGSEGV at address 0x10 in thread 'call'
//! (tid 1713)` — and one line per frame, `crash frame N: PATH ADDRESS`, the address inside
//! the file PATH. [`crash_reason`] reads those lines from the child's stderr and looks every
//! address up in its file with `addr2line`: the function (with the functions inlined into it)
//! and the source line from the debug info the release profile keeps (`line-tables-only`),
//! or the symbol table's name where there is no debug info (libc). The row's reason then says
//! where, for a crash nobody could reproduce.

use addr2line::Loader;
use std::collections::HashMap;

/// Most frames named in a reason.
pub const MAX_NAMED: usize = 16;

/// One frame as the handler printed it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Frame {
    /// The object's file (`None`: the address was in no object).
    path: Option<String>,
    /// The address inside the file (or in memory, without a file).
    address: u64,
}

fn parse_frame(line: &str) -> Option<Frame> {
    let rest = line.strip_prefix("crash frame ")?;
    let (_, what) = rest.split_once(": ")?;
    let (path, address) = what.rsplit_once(' ')?;
    let address = u64::from_str_radix(address.strip_prefix("0x")?, 16).ok()?;
    Some(Frame {
        path: (path != "?").then(|| path.to_owned()),
        address,
    })
}

/// A source file's path, short: from `crates/` or `library/` on, else its last two parts.
fn short_file(file: &str) -> String {
    for root in ["/crates/", "/library/", "/src/"] {
        if let Some(i) = file.find(root) {
            return file[i + 1..].to_owned();
        }
    }
    let parts: Vec<&str> = file.rsplit('/').take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The names of the functions at `address` in `loader`'s file, innermost (inlined) first,
/// each with its source line where known.
fn names_at(loader: &Loader, address: u64) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(mut frames) = loader.find_frames(address) {
        while let Ok(Some(frame)) = frames.next() {
            let Some(function) = frame.function.as_ref().and_then(|f| f.demangle().ok()) else {
                continue;
            };
            let place = frame
                .location
                .as_ref()
                .and_then(|l| Some(format!("{}:{}", short_file(l.file?), l.line?)));
            names.push(match place {
                Some(p) => format!("{function} ({p})"),
                None => function.into_owned(),
            });
        }
    }
    if names.is_empty()
        && let Some(symbol) = loader.find_symbol(address)
    {
        names.push(addr2line::demangle_auto(symbol.into(), None).into_owned());
    }
    names
}

/// The crash the child's stderr reports, in one line: the headline and the named frames
/// (`f (file:line) ← its caller ← …`), or `None` when the child wrote no headline (it died
/// of a signal it did not catch, e.g. SIGKILL or SIGABRT).
#[must_use]
pub fn crash_reason(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().rposition(|l| l.starts_with("fatal "))?;
    let headline = lines[start];
    let mut loaders: HashMap<String, Option<Loader>> = HashMap::new();
    let mut named: Vec<String> = Vec::new();
    let mut notes: Vec<&str> = Vec::new();
    for line in &lines[start + 1..] {
        if let Some(note) = line.strip_prefix("crash frames: ") {
            notes.push(note);
            continue;
        }
        let Some(frame) = parse_frame(line) else {
            continue;
        };
        let names = match &frame.path {
            Some(path) => {
                let loader = loaders
                    .entry(path.clone())
                    .or_insert_with(|| Loader::new(path).ok());
                let names = loader
                    .as_ref()
                    .map(|l| names_at(l, frame.address))
                    .unwrap_or_default();
                if names.is_empty() {
                    vec![format!("{}+{:#x}", file_name(path), frame.address)]
                } else {
                    names
                }
            }
            None => vec![format!("{:#x}", frame.address)],
        };
        // A thread's frames above its entry are std's thread start: not named.
        let entry = names
            .iter()
            .any(|n| n.starts_with("std::sys::backtrace::__rust_begin_short_backtrace"));
        named.extend(names);
        if entry || named.len() >= MAX_NAMED {
            break;
        }
    }
    named.truncate(MAX_NAMED);
    let mut reason = headline.to_owned();
    if !named.is_empty() {
        reason.push_str("; backtrace: ");
        reason.push_str(&named.join(" ← "));
    }
    for note in notes {
        reason.push_str("; ");
        reason.push_str(note);
    }
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_from_the_handlers_lines() {
        assert_eq!(
            parse_frame("crash frame 3: /tmp/x y/strategy-segv 0x5b9e0"),
            Some(Frame {
                path: Some("/tmp/x y/strategy-segv".into()),
                address: 0x5b9e0
            })
        );
        assert_eq!(
            parse_frame("crash frame 6: ? 0x7f00"),
            Some(Frame {
                path: None,
                address: 0x7f00
            })
        );
        assert_eq!(parse_frame("crash frame 1: nothing"), None);
        assert_eq!(parse_frame("thread 'x' panicked"), None);
    }

    #[test]
    fn a_crash_is_named_from_the_last_headline_and_unknown_files_keep_their_address() {
        let stderr = "noise\nfatal SIGSEGV at address 0x10 in thread 'call' (tid 7)\n\
                      crash frame 0: /nonexistent/strategy-x 0x1234\n\
                      crash frame 1: ? 0x99\n\
                      crash frames: the stack walk hung and was given up\n";
        assert_eq!(
            crash_reason(stderr).unwrap(),
            "fatal SIGSEGV at address 0x10 in thread 'call' (tid 7); backtrace: \
             strategy-x+0x1234 ← 0x99; the stack walk hung and was given up"
        );
        assert_eq!(crash_reason("thread 'main' panicked\n"), None);
    }

    #[test]
    fn a_function_of_this_test_binary_is_named_with_its_file() {
        // Where this very function sits in this test binary's file: its address in memory
        // less the load bias of the executable (from /proc/self/maps: the first mapping of
        // the executable is at file offset 0, and a PIE's first segment has address 0).
        let exe = std::env::current_exe().unwrap();
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        let exe_str = exe.to_str().unwrap();
        let base = maps
            .lines()
            .find(|l| l.ends_with(exe_str))
            .and_then(|l| u64::from_str_radix(l.split('-').next()?, 16).ok())
            .unwrap();
        let here =
            a_function_of_this_test_binary_is_named_with_its_file as *const () as usize as u64;
        let stderr = format!(
            "fatal SIGSEGV at address 0x0 in thread 'x' (tid 1)\ncrash frame 0: {exe_str} {:#x}\n",
            here - base
        );
        let reason = crash_reason(&stderr).unwrap();
        assert!(
            reason.contains("a_function_of_this_test_binary_is_named_with_its_file")
                && reason.contains("symbols.rs:"),
            "{reason}"
        );
    }
}
