//! Text for markdown: escaping for a table cell or list item ([`escape`]), cutting long text,
//! and the environment in one line ([`env_line`], shared by every markdown file of the folder).

use serde_json::Value;

/// Escapes text for a markdown table cell or list item: no line breaks, pipes and markdown
/// punctuation backslash-escaped, angle brackets as entities.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut last_space = false;
    for c in s.trim().chars() {
        if c.is_control() || c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `s` cut to `max` characters, with `…` when cut.
pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// A JSON scalar as text (strings without quotes), `None` for null/absent/empty.
fn env_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.trim().to_owned(),
        // Integers as such; floats with at most one decimal (`930.0` → `930`).
        Value::Number(n) if n.is_f64() => n.as_f64().map_or_else(
            || n.to_string(),
            |f| format!("{}", (f * 10.0).round() / 10.0),
        ),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    };
    (!s.is_empty() && s != "unknown").then_some(s)
}

/// The environment in one line: CPU model, cores, ns per work unit, kernel, rustc, commit.
pub(in crate::export) fn env_line(env: &Value) -> String {
    let get = |keys: &[&str]| keys.iter().find_map(|k| env_text(&env[*k]));
    let mut parts = Vec::new();
    if let Some(cpu) = get(&["cpu_model"]) {
        parts.push(escape(&cpu));
    }
    if let Some(n) = get(&["logical_cores", "cores"]) {
        let mut p = format!("{} logical cores", escape(&n));
        if let Some(a) = get(&["cpus_allowed"]).filter(|a| *a != n) {
            p.push_str(&format!(" ({} allowed)", escape(&a)));
        }
        parts.push(p);
    }
    if env["virtualised"].as_bool() == Some(true) {
        parts.push("virtualised".into());
    }
    if let Some(ns) = get(&["ns_per_unit"]) {
        parts.push(format!("{} ns per work unit", escape(&ns)));
    }
    if let Some(k) = get(&["kernel"]) {
        parts.push(escape(&k));
    }
    if let Some(r) = get(&["rustc"]) {
        parts.push(escape(&r));
    }
    if let Some(c) = get(&["git_commit_built", "git_commit", "commit", "git_commit_now"]) {
        // Inside a code span nothing needs escaping but the backtick itself.
        let short: String = c
            .chars()
            .filter(|&ch| ch != '`' && !ch.is_control())
            .take(12)
            .collect();
        let dirty = if env["git_dirty_built"].as_bool() == Some(true) {
            " (dirty)"
        } else {
            ""
        };
        parts.push(format!("commit `{short}`{dirty}"));
    }
    if let Some(d) = get(&["date_utc"]) {
        parts.push(escape(&d));
    }
    if parts.is_empty() {
        "not recorded".into()
    } else {
        parts.join(" · ")
    }
}

/// The line a generated section opens with, naming its source: `{label}: [`file`](file) —
/// date, commit `0123456789`, CPU (N cores), written by `{command}`` (date, commit and machine
/// from the run's `env.json`).
#[must_use]
pub fn reference_source(label: &str, file: &str, env: &serde_json::Value, command: &str) -> String {
    let field = |k: &str| env[k].as_str().unwrap_or("?").to_owned();
    format!(
        "{label}: [`{file}`]({file}) — {}, commit `{}`, {} ({} cores), written by `{command}`",
        field("date_utc"),
        field("git_commit_built")
            .chars()
            .take(10)
            .collect::<String>(),
        field("cpu_model"),
        env["logical_cores"],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_one_line_and_cells() {
        assert_eq!(escape("a|b\nc  d"), "a\\|b c d");
        assert_eq!(escape("<stack_guard>"), "&lt;stack\\_guard&gt;");
        assert_eq!(escape("x\r\n"), "x");
    }

    #[test]
    fn environment_line() {
        let env = serde_json::json!({
            "cpu_model": "Test CPU", "logical_cores": 2, "ns_per_unit": 930.04,
            "git_commit_built": "0123456789abcdef", "git_dirty_built": true, "kernel": null
        });
        assert_eq!(
            env_line(&env),
            "Test CPU · 2 logical cores · 930 ns per work unit · commit `0123456789ab` (dirty)"
        );
        assert_eq!(env_line(&serde_json::json!({})), "not recorded");
    }
}
