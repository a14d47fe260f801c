//! The project's documents: README stays short (≤ 200 lines) with its answers section filled
//! in, and every relative link in README.md, ARCHITECTURE.md and docs/*.md resolves to a file
//! or folder inside the repository (no link points outside it, e.g. at `../shared/`).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn documents() -> Vec<PathBuf> {
    let r = root();
    let mut v = vec![r.join("README.md"), r.join("ARCHITECTURE.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(r.join("docs"))
        .expect("docs/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    v.extend(docs);
    v
}

/// Every markdown link target `](target)` of `text`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_owned());
        }
    }
    out
}

#[test]
fn readme_is_short_and_answers_first() {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let n = text.lines().count();
    assert!(n <= 200, "README.md has {n} lines, more than 200");
    let answers = text.find("## The answers").expect("an answers section");
    let generated = &text[text.find("<!-- answers:begin -->").expect("marker")
        ..text.find("<!-- answers:end -->").expect("marker")];
    assert!(
        generated.contains("**1. When does interleaving on one core help?**"),
        "the answers section is empty: run scripts/reference.sh (or harness answers --readme README.md)"
    );
    // On the first two screens (≈ 100 lines).
    let line = text[..answers].lines().count();
    assert!(line < 100, "the answers start on line {line}");
}

#[test]
fn every_relative_link_resolves_inside_the_repository() {
    let repo = std::fs::canonicalize(root()).expect("repo");
    let mut bad = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).expect("readable");
        let dir = doc.parent().expect("parent");
        for l in links(&text) {
            let target = l
                .split('#')
                .next()
                .unwrap_or("")
                .split(' ')
                .next()
                .unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            match std::fs::canonicalize(dir.join(target)) {
                Ok(p) if p.starts_with(&repo) => {}
                Ok(p) => bad.push(format!(
                    "{}: {l} points outside the repository ({})",
                    doc.display(),
                    p.display()
                )),
                Err(_) => bad.push(format!("{}: {l} does not exist", doc.display())),
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
