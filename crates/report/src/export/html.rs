//! `index.html`: the whole results folder as one page — the environment, every table and the
//! findings of `summary.md` (rendered from the same markdown, so a section added there appears
//! here too), every plot shown from its own `.svg` file beside the page (`<img>`, so a
//! picture's bytes are in the folder once, not twice), the traces and the `.hgrm` files
//! linked. No script, no font file, no request beyond the folder: it opens from a file on a
//! machine with no network, and reads without JavaScript. A table of contents heads it.
//!
//! The page is the last exporter of [`crate::output::all_exporters`]: it is built from the
//! files the others produced ([`Exporter::export_after`]), so it shows each plot as rendered
//! once by `plot/` and links exactly the files in the folder. It picks them by the [`Kind`] each
//! exporter declared (and its typed fields: a plot's figure and scenario), never by file name.
//! Alone ([`Exporter::export`]) it has the tables and findings but no plots.
//!
//! A full compare's plots are ~1.6 MB of SVG; inlined, the page was as large again.

use super::markdown::summary;
use crate::exporter::{Exporter, Format, Kind, Output, Picture};
use analysis::Analysed;
use lab::select::first_seen;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The report page exporter.
#[derive(Debug)]
pub struct Html;

/// The page's file name.
pub const FILE: &str = "index.html";

impl Exporter for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        self.export_after(results, &[])
    }

    fn export_after(&self, results: &Analysed, earlier: &[Output]) -> anyhow::Result<Vec<Output>> {
        Ok(vec![Output::new(
            FILE,
            page(results, earlier).into_bytes(),
            Kind::Page,
        )])
    }
}

/// `s` escaped for HTML text and attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One entry of the table of contents.
struct Heading {
    level: u8,
    id: String,
    text: String,
}

/// Heading ids: lower-case words joined by `-`, unique within the page.
#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn make(&mut self, text: &str) -> String {
        let mut slug = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = if slug.is_empty() { "section" } else { slug };
        let mut id = slug.to_owned();
        let mut k = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{slug}-{k}");
            k += 1;
        }
        id
    }
}

/// The page's style: system fonts only, tables that scroll sideways, plots that shrink to fit.
const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;\
color:#222;background:#fff;margin:0 auto;padding:0 20px 48px;max-width:1240px;line-height:1.45}\
h1{font-size:1.7em;margin:.8em 0 .2em}h2{font-size:1.35em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
h3{font-size:1.1em;margin-top:1.4em}a{color:#0b5f8a}code{font-size:.92em;background:#f3f3f3;padding:0 .2em}\
nav{background:#f7f7f7;border:1px solid #e2e2e2;padding:.4em 1.2em;margin:1em 0}\
nav ol{margin:.3em 0;padding-left:1.4em}nav li{margin:.1em 0}\
nav ol ol{list-style:none;padding-left:0;display:flex;flex-wrap:wrap;column-gap:1.4em;font-size:.92em}\
.scroll{overflow-x:auto;margin:.6em 0}table{border-collapse:collapse;font-size:13px}\
th,td{border:1px solid #ddd;padding:3px 7px;vertical-align:top}th{background:#f3f3f3}\
tbody tr:nth-child(even){background:#fafafa}td{font-variant-numeric:tabular-nums}\
td[style*=right]{white-space:nowrap}td:not([style]){min-width:6em}\
figure{margin:1.2em 0;border:1px solid #e2e2e2;padding:8px}figcaption{font-size:.9em;color:#555;margin-bottom:4px}\
figure img{display:block;max-width:100%;height:auto}.muted{color:#666}";

/// The files linked under the page's title, in this order, where present: summary.md's figures
/// as files, then the environment.
const DATA: [Kind; 4] = [
    Kind::Summary(Format::Markdown),
    Kind::Summary(Format::Csv),
    Kind::Summary(Format::Json),
    Kind::Environment,
];

/// summary.md's sections whose titles start with one of these lead the page: the conclusions
/// first, then the pictures, then the other sections (the tables) in summary.md's order.
const LEADING_SECTIONS: [&str; 2] = ["Verdict", "Findings"];

/// The whole page: title, summary.md's preamble (environment, how to read the figures), the
/// contents, the conclusions, the pictures, the tables, the traces and the environment.
fn page(results: &Analysed, earlier: &[Output]) -> String {
    let md = summary(results);
    let events: Vec<Event<'_>> = Parser::new_ext(&md, Options::ENABLE_TABLES).collect();
    let mut sections = split_sections(&events);
    let preamble = skip_title(&sections.remove(0));
    let (lead, rest): (Vec<_>, Vec<_>) = sections.into_iter().partition(|c| {
        let t = heading_text(c);
        LEADING_SECTIONS.iter().any(|l| t.starts_with(l))
    });

    let svgs = picture_order(
        earlier
            .iter()
            .filter(|f| matches!(f.kind, Kind::Plot { .. }))
            .collect(),
    );
    let traces: Vec<&Output> = earlier.iter().filter(|f| f.kind == Kind::Trace).collect();

    let mut ids = Ids::default();
    ids.make("contents");
    let mut toc = Vec::new();
    let mut body = String::new();
    for c in &lead {
        body.push_str(&markdown_html(c, &mut ids, &mut toc));
    }
    if !svgs.is_empty() {
        body.push_str(&section(&mut ids, &mut toc, 2, "Pictures"));
        for f in &svgs {
            let id = ids.make(&f.file);
            toc.push(Heading {
                level: 3,
                id: id.clone(),
                text: f.file.clone(),
            });
            let _ = write!(
                body,
                "<figure id=\"{id}\"><figcaption><a href=\"{0}\">{0}</a></figcaption>\n{1}\n</figure>\n",
                escape(&f.file),
                picture(f)
            );
        }
    }
    for c in &rest {
        body.push_str(&markdown_html(c, &mut ids, &mut toc));
    }
    if !traces.is_empty() {
        body.push_str(&section(&mut ids, &mut toc, 2, "Traces"));
        body.push_str(
            "<p>Each timeline run as a trace of the whole recorded window (the pictures show 40 ms \
             of it). Open <a href=\"https://ui.perfetto.dev\">the Perfetto UI</a> and drag a file \
             onto it: the page reads the file inside your browser, nothing is uploaded \
             (<code>chrome://tracing</code> opens them too). The files are gzip-compressed JSON \
             (<code>.json.gz</code>); both open them as they are, <code>gunzip</code> gives the \
             plain JSON. One track per OS thread that did \
             secretary work: <b>one track alternating</b> between phone and desk is concurrency; \
             <b>two tracks busy at the same instant</b> are parallelism. Rings and due times are \
             on the schedule's two tracks above them.</p>\n<ul>\n",
        );
        for f in &traces {
            let _ = writeln!(body, "<li><a href=\"{0}\">{0}</a></li>", escape(&f.file));
        }
        body.push_str("</ul>\n");
    }
    body.push_str(&section(&mut ids, &mut toc, 2, "Environment"));
    body.push_str(&environment(&results.env, earlier));

    let title = match results.env["date_utc"].as_str() {
        Some(d) => format!("Secretary benchmark results, {d}"),
        None => "Secretary benchmark results".to_owned(),
    };
    let mut s = String::with_capacity(body.len() + 4_096);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{0}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
        escape(&title)
    );
    pulldown_cmark::html::push_html(&mut s, preamble.into_iter());
    let data: Vec<String> = DATA
        .iter()
        .filter_map(|k| of_kind(earlier, k))
        .map(|f| format!("<a href=\"{0}\">{0}</a>", escape(&f.file)))
        .collect();
    if !data.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"muted\">The same figures as files: {}.</p>",
            data.join(" · ")
        );
    }
    s.push_str(&contents(&toc));
    s.push_str(&body);
    s.push_str("</body>\n</html>\n");
    s
}

/// The first of `files` of kind `kind`.
fn of_kind<'a>(files: &'a [Output], kind: &Kind) -> Option<&'a Output> {
    files.iter().find(|f| f.kind == *kind)
}

/// The pictures (files of [`Kind::Plot`]) in reading order: the essay first (the timelines of
/// every run, then each run's own), then per scenario (first plotted first) its plots in the
/// order plotted.
fn picture_order(mut svgs: Vec<&Output>) -> Vec<&Output> {
    let scenarios = first_seen(svgs.iter().copied().filter(|f| rank(f) == 2), scenario_of);
    svgs.sort_by_key(|f| {
        let at = scenarios.iter().position(|s| *s == scenario_of(f));
        (rank(f), if rank(f) == 2 { at.unwrap_or(0) } else { 0 })
    });
    svgs
}

/// Where a picture goes: 0 the timelines of every run, 1 one run's timeline, 2 a scenario's
/// figure (or anything else).
fn rank(f: &Output) -> u8 {
    match f.kind {
        Kind::Plot {
            picture: Picture::Timelines,
            ..
        } => 0,
        Kind::Plot {
            picture: Picture::Timeline,
            ..
        } => 1,
        _ => 2,
    }
}

/// The scenario a picture shows, if it says.
fn scenario_of(f: &Output) -> Option<&str> {
    match &f.kind {
        Kind::Plot { scenario, .. } => scenario.as_deref(),
        _ => None,
    }
}

/// The events before the first `##` heading, then one run of events per `##` section.
fn split_sections<'a>(events: &[Event<'a>]) -> Vec<Vec<Event<'a>>> {
    let mut out = vec![Vec::new()];
    for e in events {
        if matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            })
        ) {
            out.push(Vec::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(e.clone());
        }
    }
    out
}

/// The text of the first heading in `events`.
fn heading_text(events: &[Event<'_>]) -> String {
    events
        .iter()
        .skip_while(|e| !matches!(e, Event::Start(Tag::Heading { .. })))
        .skip(1)
        .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// The preamble without summary.md's `#` title (the page has its own).
fn skip_title<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut in_title = false;
    for e in events {
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_title = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => in_title = false,
            _ if in_title => {}
            _ => out.push(safe(e.clone())),
        }
    }
    out
}

/// Raw HTML in the markdown becomes text: only this module writes markup.
fn safe(e: Event<'_>) -> Event<'_> {
    match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        e => e,
    }
}

/// summary.md's sections as HTML: headings get ids (and entries in `toc`), tables a box that
/// scrolls sideways.
fn markdown_html(events: &[Event<'_>], ids: &mut Ids, toc: &mut Vec<Heading>) -> String {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len() + 16);
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let text = heading_text(&events[i..]);
                let id = ids.make(&text);
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    toc.push(Heading {
                        level: *level as u8,
                        id: id.clone(),
                        text,
                    });
                }
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Table(a)) => {
                out.push(Event::Html("<div class=\"scroll\">\n".into()));
                out.push(Event::Start(Tag::Table(a.clone())));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>\n".into()));
            }
            e => out.push(safe(e.clone())),
        }
        i += 1;
    }
    let mut s = String::new();
    pulldown_cmark::html::push_html(&mut s, out.into_iter());
    s
}

/// A heading of the page's own sections, with its id and entry in `toc`.
fn section(ids: &mut Ids, toc: &mut Vec<Heading>, level: u8, text: &str) -> String {
    let id = ids.make(text);
    let html = format!("<h{level} id=\"{id}\">{}</h{level}>\n", escape(text));
    toc.push(Heading {
        level,
        id,
        text: text.to_owned(),
    });
    html
}

/// The table of contents: `##` sections, with their `###` entries nested.
fn contents(toc: &[Heading]) -> String {
    let mut s = String::from("<nav id=\"contents\"><b>Contents</b>\n<ol>\n");
    let mut open_sub = false;
    for (k, h) in toc.iter().enumerate() {
        let link = format!("<a href=\"#{}\">{}</a>", h.id, escape(&h.text));
        if h.level <= 2 {
            if open_sub {
                s.push_str("</ol>");
                open_sub = false;
            }
            if k > 0 {
                s.push_str("</li>\n");
            }
            let _ = write!(s, "<li>{link}");
        } else {
            if !open_sub {
                s.push_str("\n<ol>\n");
                open_sub = true;
            }
            let _ = writeln!(s, "<li>{link}</li>");
        }
    }
    if open_sub {
        s.push_str("</ol>");
    }
    if !toc.is_empty() {
        s.push_str("</li>\n");
    }
    s.push_str("</ol>\n</nav>\n");
    s
}

/// A plot as the page shows it: an `<img>` of its file in the folder, with the SVG's own width
/// and height (so the page does not jump while it loads; CSS shrinks it to fit).
fn picture(f: &Output) -> String {
    let file = escape(&f.file);
    match svg_size(&f.bytes) {
        Some((w, h)) => {
            format!("<img src=\"{file}\" alt=\"{file}\" width=\"{w}\" height=\"{h}\">")
        }
        None => format!("<img src=\"{file}\" alt=\"{file}\">"),
    }
}

/// The `width` and `height` of an SVG's root element, where both are plain numbers.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<u32> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()?.parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

/// `env.json` as a table of dotted keys and values.
fn environment(env: &Value, earlier: &[Output]) -> String {
    let mut rows = Vec::new();
    flatten(env, String::new(), &mut rows);
    if rows.is_empty() {
        return "<p>Not recorded.</p>\n".to_owned();
    }
    let mut s = String::new();
    if let Some(f) = of_kind(earlier, &Kind::Environment) {
        let _ = writeln!(
            s,
            "<p>As recorded in <a href=\"{0}\">{0}</a>.</p>",
            escape(&f.file)
        );
    }
    s.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>Field</th><th>Value</th></tr></thead>\n<tbody>\n");
    for (k, v) in rows {
        let _ = writeln!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    s.push_str("</tbody>\n</table></div>\n");
    s
}

fn flatten(v: &Value, key: String, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if key.is_empty() {
            k.to_owned()
        } else {
            format!("{key}.{k}")
        }
    };
    match v {
        Value::Null => {}
        Value::Object(m) => {
            for (k, x) in m {
                flatten(x, join(k), out);
            }
        }
        Value::String(s) => out.push((key, s.clone())),
        other => out.push((key, other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.make("office — chunk sweep"), "office-chunk-sweep");
        assert_eq!(ids.make("Office: chunk sweep!"), "office-chunk-sweep-2");
        assert_eq!(ids.make("p99-office.svg"), "p99-office-svg");
        assert_eq!(ids.make("…"), "section");
    }

    #[test]
    fn text_and_raw_html_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let events: Vec<Event<'_>> = Parser::new("## T\n\n<script>alert(1)</script>\n").collect();
        let html = markdown_html(&events, &mut Ids::default(), &mut Vec::new());
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn pictures_read_essay_first_then_scenario_by_scenario() {
        let o = |f: &str, picture, scenario: Option<&str>| {
            let scenario = scenario.map(str::to_owned);
            Output::new(f, Vec::new(), Kind::Plot { picture, scenario })
        };
        let files = [
            o("spectrum-office.svg", Picture::Spectrum, Some("office")),
            o(
                "spectrum-back-office.svg",
                Picture::Spectrum,
                Some("back office"),
            ),
            o("p99-office.svg", Picture::P99, Some("office")),
            o("p99-back-office.svg", Picture::P99, Some("back office")),
            o(
                "timeline-office-green-2c.svg",
                Picture::Timeline,
                Some("office"),
            ),
            o("timeline.svg", Picture::Timelines, None),
        ];
        let order: Vec<&str> = picture_order(files.iter().collect())
            .iter()
            .map(|f| f.file.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "timeline.svg",
                "timeline-office-green-2c.svg",
                "spectrum-office.svg",
                "p99-office.svg",
                "spectrum-back-office.svg",
                "p99-back-office.svg"
            ]
        );
    }

    #[test]
    fn files_are_picked_by_their_kind_never_their_name() {
        let results = analysis::analyse(lab::fixtures::sample_results());
        let plot = Kind::Plot {
            picture: Picture::P99,
            scenario: Some("office".into()),
        };
        let earlier = [
            Output::new("a.svg", "<svg id=\"by-name\"></svg>", Kind::Histogram),
            Output::new(
                "figure-1",
                "<svg id=\"by-kind\" width=\"10\" height=\"20\"></svg>",
                plot,
            ),
            Output::new("trace-z.json", "{}", Kind::Summary(Format::Json)),
            Output::new("run-1.perfetto", "{}", Kind::Trace),
            Output::new("environment.json", "{}", Kind::Environment),
            Output::new("summary.md", "", Kind::Capacity(Format::Markdown)),
        ];
        let html = page(&results, &earlier);
        assert!(
            html.contains("<img src=\"figure-1\" alt=\"figure-1\" width=\"10\" height=\"20\">"),
            "{html}"
        );
        assert!(
            !html.contains("<svg"),
            "pictures are shown from their files: {html}"
        );
        assert!(!html.contains("src=\"a.svg\""), "a histogram is no picture");
        assert!(
            html.contains(
                "The same figures as files: <a href=\"trace-z.json\">trace-z.json</a> · \
                 <a href=\"environment.json\">environment.json</a>."
            ),
            "{html}"
        );
        let traces = html
            .split("id=\"traces\"")
            .nth(1)
            .expect("a traces section");
        assert!(traces.contains("href=\"run-1.perfetto\""), "{traces}");
        assert!(!traces.contains("href=\"trace-z.json\""), "{traces}");
        assert!(html.contains("As recorded in <a href=\"environment.json\">"));
        assert!(
            !html.contains("href=\"summary.md\""),
            "capacity.md is not a summary"
        );
    }

    #[test]
    fn the_contents_nest_subsections() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            text: id.into(),
        };
        let s = contents(&[h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b")]);
        assert_eq!(
            s.matches("<ol>").count(),
            2,
            "one list and one nested list: {s}"
        );
        assert_eq!(s.matches("<li>").count(), s.matches("</li>").count(), "{s}");
    }
}
