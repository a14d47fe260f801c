//! Timelines: who works when. One `timeline-<scenario>-<strategy>-<cores>c.svg` per captured
//! [`TimelineRun`] and one `timeline.svg` stacking them all, one titled block per run. A
//! picture shows [`SHOWN_US`], 40 ms of the recorded window (the whole window is in the run's
//! trace, `export/trace.rs`). In a block, time runs left to right (ms within the slice) and
//! each lane is one OS thread (named when the report knows its name); when a run used too many
//! threads for readable lanes (thread-per-call), lanes are the CPUs the work started on
//! instead, and the block says so. Work is a coloured bar, "on the phone" or "at the desk";
//! idle is background. Phone rings and appointment due times are marks on two strips above the
//! lanes, with faint lines down through the lanes so the delay until someone picks up is
//! visible. On 1 core the bars take turns (interleaving); on 2 cores bars in different lanes
//! overlap (parallelism).
//!
//! `timeline-<scenario>-essay.svg` is the essay in two pictures, zoomed in on one ring that
//! falls while an appointment check is under way and is answered before the check ends, in
//! both ([`shows_at`], [`focus`]): the one-worker switching
//! secretary (desk on that one worker too) with the lowest mean wait on 1 core (one lane: the desk stops, the phone, the desk
//! again) above the run on more cores with the most time with two at work at once that shows
//! the same ring so (the phone on one lane while the desk goes on in another). Chosen by declared
//! arrangement and measured figures, never by name.

use super::Area;
use super::axis::Ticks;
use super::colour::{GRID, GRID_LIGHT, INK, MUTED, Palette, tint};
use super::svg::svg;
use super::text::{bold, label, text, text_at, title_strip};
use crate::exporter::{Exporter, Kind, Output, Picture, timeline_stems};
use analysis::Analysed;
use lab::format::fmt_num;
use lab::row::TimelineRun;
use lab::select::first_seen;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::collections::BTreeSet;
use workload::record::Doing;

/// The timeline exporter.
pub struct Timelines;

/// "On the phone".
const PHONE: RGBColor = RGBColor(0x0b, 0x7a, 0x75);
/// "At the desk".
const DESK: RGBColor = RGBColor(0xe8, 0xa3, 0x3d);
/// A phone ring.
const RING: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// An appointment due.
const DUE: RGBColor = RGBColor(0xa0, 0x1f, 0x6e);
/// Lane background (idle).
const IDLE: RGBColor = RGBColor(0xf1, 0xf1, 0xf1);

/// What a picture shows of a recorded timeline, µs (from, length): 40 ms from half a second into
/// the day where the recorded window covers it, else the window's first 40 ms (all of it when
/// shorter).
pub const SHOWN_US: (u64, u64) = (500_000, 40_000);

/// The slice of `run` a picture shows (see [`SHOWN_US`]).
#[must_use]
pub fn shown(run: &TimelineRun) -> TimelineRun {
    let (from, len) = (run.timeline.from_us, run.timeline.len_us);
    let (f, l) = SHOWN_US;
    if from <= f && f + l <= from + len {
        run.slice(f, l)
    } else {
        run.slice(from, l.min(len))
    }
}

/// More OS threads than this and lanes become CPUs.
const MAX_THREAD_LANES: usize = 8;
/// Picture width.
const WIDTH: u32 = 1100;
/// Height of one lane or event strip.
const LANE_H: u32 = 24;
/// Height of a block's title lines.
const HEAD_H: u32 = 66;
/// Height of the time axis under a block.
const AXIS_H: u32 = 56;
/// Height of the figure title and the legend.
const TOP_H: u32 = 86 + 40;
/// The tallest a one-run picture may be: one screen. Lanes get thinner to fit (down to
/// [`MIN_LANE_H`]), and only every few are labelled then.
const MAX_H: u32 = 1000;
/// The thinnest lane.
const MIN_LANE_H: u32 = 4;
/// The least distance between two lane labels.
const LABEL_PITCH: u32 = 17;

impl Exporter for Timelines {
    fn name(&self) -> &'static str {
        "timeline plot"
    }

    fn export(&self, results: &Analysed) -> anyhow::Result<Vec<Output>> {
        if results.timelines.is_empty() {
            return Ok(Vec::new());
        }
        let palette = Palette::of(results);
        let scenarios = first_seen(results.timelines.iter(), |t| t.scenario.as_str());
        let mut runs: Vec<(String, TimelineRun)> = results
            .timelines
            .iter()
            .zip(timeline_stems(&results.timelines))
            .map(|(r, stem)| (format!("timeline-{stem}.svg"), shown(r)))
            .collect();
        runs.sort_by_key(|(_, t)| scenarios.iter().position(|s| *s == t.scenario));
        let blocks: Vec<Block<'_>> = runs.iter().map(|(_, r)| Block::new(r)).collect();

        let mut out = Vec::new();
        for (b, (file, run)) in blocks.iter().zip(&runs) {
            let kind = Kind::Plot {
                picture: Picture::Timeline,
                scenario: Some(run.scenario.clone()),
            };
            out.push(figure(
                file.clone(),
                kind,
                std::slice::from_ref(b),
                &palette,
                None,
            )?);
        }
        let kind = Kind::Plot {
            picture: Picture::Timelines,
            scenario: None,
        };
        out.push(figure(
            "timeline.svg".to_owned(),
            kind,
            &blocks,
            &palette,
            None,
        )?);
        if let Some(essay) = essay(results, &palette) {
            out.push(essay?);
        }
        Ok(out)
    }
}

/// How much of the day the essay picture shows around its ring, µs: from 1 ms before it.
const FOCUS_US: (u64, u64) = (1_000, 6_000);

/// Whether `run` shows the essay at ring `r` (µs): an appointment check under way when it
/// rings and for at least 1 ms more, and a pick-up (a phone span) starting within 1 ms of it —
/// the phone answered while the check is not finished.
fn shows_at(run: &TimelineRun, r: u64) -> bool {
    let ns = r * 1_000;
    let mut checks: std::collections::BTreeMap<u32, (u64, u64)> = std::collections::BTreeMap::new();
    for sp in run
        .timeline
        .spans
        .iter()
        .filter(|sp| sp.doing == Doing::Desk)
    {
        let e = checks.entry(sp.id).or_insert((sp.start_ns, sp.end_ns));
        e.0 = e.0.min(sp.start_ns);
        e.1 = e.1.max(sp.end_ns);
    }
    let under_way = checks
        .values()
        .any(|&(a, b)| a <= ns && ns + 1_000_000 <= b);
    let answered = run
        .timeline
        .spans
        .iter()
        .any(|sp| sp.doing == Doing::Phone && (ns..ns + 1_000_000).contains(&sp.start_ns));
    under_way && answered
}

/// The first ring, from [`SHOWN_US`]'s start on (else the recorded window's), at which every
/// one of `runs` shows the essay ([`shows_at`]); the runs share a schedule (same scenario and
/// seed), so it is the same ring in each.
fn common_ring(runs: &[&TimelineRun]) -> Option<u64> {
    let first = runs.first()?;
    let from = if first.timeline.from_us <= SHOWN_US.0 {
        SHOWN_US.0
    } else {
        first.timeline.from_us
    };
    first
        .rings_us
        .iter()
        .copied()
        .filter(|&r| r >= from)
        .find(|&r| runs.iter().all(|run| shows_at(run, r)))
}

/// `run` zoomed on ring `r` (µs): a slice of [`FOCUS_US`] around it.
#[must_use]
pub fn focus(run: &TimelineRun, r: u64) -> TimelineRun {
    let start = r.saturating_sub(FOCUS_US.0).max(run.timeline.from_us);
    run.slice(start, FOCUS_US.1)
}

/// The essay picture of the first scenario with timelines (see the module header), where the
/// results hold both runs it needs.
fn essay(results: &Analysed, palette: &Palette) -> Option<anyhow::Result<Output>> {
    let scenario = results.timelines.first()?.scenario.clone();
    let row = |t: &TimelineRun| {
        results.rows.iter().find(|r| {
            r.scenario == t.scenario
                && r.strategy == t.strategy
                && r.cores == t.cores
                && r.sweep.is_none()
                && !r.twin
        })
    };
    let interleaver = results
        .timelines
        .iter()
        .filter(|t| t.scenario == scenario && t.cores == 1)
        .filter_map(|t| {
            let r = row(t)?;
            let a = r.arrangement?;
            (a.workers == workload::Workers::One
                && a.desk == workload::Desk::OneWorker
                && a.switching != workload::Switching::RunToCompletion)
                .then_some((t, r.figures.wait_all_us.mean))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))?
        .0;
    // The runs on more cores with two at work at once, most of it first; the first that shows
    // the essay at a ring the interleaver shows it at too.
    let mut parallel: Vec<(&TimelineRun, f64)> = results
        .timelines
        .iter()
        .filter(|t| t.scenario == scenario && t.cores > 1)
        .filter_map(|t| {
            let s = results.simultaneity.iter().find(|s| {
                s.scenario == t.scenario && s.strategy == t.strategy && s.cores == t.cores
            })?;
            (s.two_at_once > 0.0).then_some((t, s.two_at_once))
        })
        .collect();
    parallel.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (parallel, ring) = parallel
        .iter()
        .find_map(|(t, _)| Some((*t, common_ring(&[interleaver, t])?)))?;
    let runs = [focus(interleaver, ring), focus(parallel, ring)];
    let blocks: Vec<Block<'_>> = runs.iter().map(Block::new).collect();
    let kind = Kind::Plot {
        picture: Picture::Timeline,
        scenario: Some(scenario.clone()),
    };
    let file = format!(
        "timeline-{}-essay.svg",
        crate::exporter::file_part(&scenario)
    );
    Some(figure(
        file,
        kind,
        &blocks,
        palette,
        Some(
            "One secretary interleaving, two at work at once: the same ring, 6 ms of the same day",
        ),
    ))
}

/// One lane of a block.
struct Lane {
    /// Thread index or CPU number.
    key: u32,
    label: String,
}

/// One run's block: its lanes and how they were chosen.
struct Block<'a> {
    run: &'a TimelineRun,
    /// Lanes are CPUs (too many threads), not threads.
    by_cpu: bool,
    /// Distinct OS threads with work in the window.
    threads: usize,
    lanes: Vec<Lane>,
    /// Height of one lane, pixels (the two event strips keep [`LANE_H`]).
    lane_h: u32,
}

impl<'a> Block<'a> {
    fn new(run: &'a TimelineRun) -> Block<'a> {
        let spans = &run.timeline.spans;
        let threads: BTreeSet<u32> = spans.iter().map(|s| s.thread).collect();
        let by_cpu = threads.len() > MAX_THREAD_LANES;
        let lanes: Vec<Lane> = if by_cpu {
            let cpus: BTreeSet<u32> = spans.iter().map(|s| s.cpu).collect();
            cpus.into_iter()
                .map(|c| Lane {
                    key: c,
                    label: if c == u32::MAX {
                        "CPU ?".to_owned()
                    } else {
                        format!("CPU {c}")
                    },
                })
                .collect()
        } else {
            run.thread_labels(&threads)
                .into_iter()
                .map(|(key, label)| Lane { key, label })
                .collect()
        };
        let n = lanes.len().max(1) as u32;
        let room = MAX_H - TOP_H - HEAD_H - AXIS_H - 2 * LANE_H;
        let lane_h = (room / n).clamp(MIN_LANE_H, LANE_H);
        Block {
            run,
            by_cpu,
            threads: threads.len(),
            lanes,
            lane_h,
        }
    }

    /// Rows: two event strips, then the lanes (at least one, so an empty block still draws).
    fn rows(&self) -> usize {
        2 + self.lanes.len().max(1)
    }

    /// Height of the chart's rows, pixels: also its y range (one unit a pixel).
    fn rows_h(&self) -> u32 {
        2 * LANE_H + (self.rows() as u32 - 2) * self.lane_h
    }

    /// Row `r`'s span in chart units (pixels from the bottom): (low, high).
    fn row_span(&self, r: usize) -> (f64, f64) {
        let top = f64::from(self.rows_h());
        let (strip, lane) = (f64::from(LANE_H), f64::from(self.lane_h));
        let hi = if r < 2 {
            top - strip * r as f64
        } else {
            top - 2.0 * strip - lane * (r - 2) as f64
        };
        let h = if r < 2 { strip } else { lane };
        (hi - h, hi)
    }

    /// Every how many lanes one is labelled (1: all).
    fn label_step(&self) -> usize {
        LABEL_PITCH.div_ceil(self.lane_h) as usize
    }

    fn height(&self) -> u32 {
        HEAD_H + self.rows_h() + AXIS_H
    }

    fn lane_of(&self, thread: u32, cpu: u32) -> Option<usize> {
        let key = if self.by_cpu { cpu } else { thread };
        self.lanes.iter().position(|l| l.key == key)
    }
}

fn figure(
    file: String,
    kind: Kind,
    blocks: &[Block<'_>],
    palette: &Palette,
    title: Option<&str>,
) -> anyhow::Result<Output> {
    let height = TOP_H + blocks.iter().map(Block::height).sum::<u32>();
    let title = match blocks {
        _ if title.is_some() => title.unwrap_or_default().to_owned(),
        [one] => format!(
            "{} on {} core{} ({}): who is working when",
            one.run.strategy,
            one.run.cores,
            plural(one.run.cores),
            one.run.scenario
        ),
        _ => "Who is working when: a short window of the secretary's day, per strategy and cores"
            .to_owned(),
    };
    svg(file, kind, (WIDTH, height), |root| {
        let rest = title_strip(
            root,
            &title,
            &[
                "Concurrency: on 1 core there is one secretary, so the lanes take turns (work interleaves).",
                "Parallelism: on 2+ cores bars in different lanes overlap in time (work at the same time).",
            ],
        )?;
        let (legend, mut rest) = rest.split_vertically(40);
        draw_legend(&legend)?;
        for b in blocks {
            let (area, below) = rest.split_vertically(b.height());
            draw_block(&area, b, palette)?;
            rest = below;
        }
        Ok(())
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn draw_legend(area: &Area<'_>) -> anyhow::Result<()> {
    let y = 18;
    let mut x = 16;
    let style = text_at(14.0, INK, HPos::Left, VPos::Center);
    // Item widths are generous: the text's real width is up to the viewer's font.
    let item = |x: &mut i32, what: &str, mark: &dyn Fn(i32) -> anyhow::Result<()>| {
        mark(*x)?;
        label(area, what, (*x + 24, y), &style)?;
        *x += 24 + (what.chars().count() as f64 * 7.6) as i32 + 30;
        anyhow::Ok(())
    };
    let swatch = |c: RGBColor| {
        move |x: i32| -> anyhow::Result<()> {
            area.draw(&Rectangle::new([(x, y - 7), (x + 18, y + 7)], c.filled()))?;
            Ok(())
        }
    };
    item(&mut x, "on the phone (pick-up, replies)", &swatch(PHONE))?;
    item(&mut x, "at the desk (appointment checks)", &swatch(DESK))?;
    item(&mut x, "idle", &|x| {
        area.draw(&Rectangle::new(
            [(x, y - 7), (x + 18, y + 7)],
            IDLE.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(x, y - 7), (x + 18, y + 7)],
            GRID.stroke_width(1),
        ))?;
        Ok(())
    })?;
    item(&mut x, "a phone rings", &|x| {
        area.draw(&TriangleMarker::new((x + 9, y), 6, RING.filled()))?;
        Ok(())
    })?;
    item(&mut x, "an appointment is due", &|x| {
        area.draw(&Circle::new((x + 9, y), 5, DUE.filled()))?;
        Ok(())
    })?;
    Ok(())
}

fn draw_block(area: &Area<'_>, b: &Block<'_>, palette: &Palette) -> anyhow::Result<()> {
    let run = b.run;
    let (head, body) = area.split_vertically(HEAD_H);
    let colour = palette.colour(&run.strategy);
    head.draw(&Rectangle::new([(16, 10), (30, 24)], colour.filled()))?;
    label(
        &head,
        &format!(
            "{} on {} core{} — {}",
            run.strategy,
            run.cores,
            plural(run.cores),
            run.scenario
        ),
        (38, 17),
        &bold(16.0, colour).pos(plotters::style::text_anchor::Pos::new(
            HPos::Left,
            VPos::Center,
        )),
    )?;
    let lanes_note = if b.by_cpu {
        format!(
            "{} OS threads did work here (too many lanes), so each lane is a CPU: the CPU each piece of work started on.",
            b.threads
        )
    } else {
        "Each lane is one OS thread.".to_owned()
    };
    let look = if run.cores == 1 {
        "1 core: one thread runs at a time (two threads' bars overlap only where the kernel switched mid-bar)."
    } else {
        "Several cores = several secretaries: bars in different lanes can run at the same time."
    };
    for (i, line) in [look, lanes_note.as_str()].into_iter().enumerate() {
        label(
            &head,
            line,
            (16, 38 + 18 * i as i32),
            &text_at(13.0, MUTED, HPos::Left, VPos::Center),
        )?;
    }

    let len_ms = (run.timeline.len_us as f64 / 1_000.0).max(0.001);
    let from_us = run.timeline.from_us;
    let rows = b.rows();
    let top = f64::from(b.rows_h());
    let centre = |r: usize| {
        let (lo, hi) = b.row_span(r);
        (lo + hi) / 2.0
    };
    let mut names: Vec<String> = vec!["phone rings".to_owned(), "appointments due".to_owned()];
    names.extend(b.lanes.iter().map(|l| l.label.clone()));
    if b.lanes.is_empty() {
        names.push("no work".to_owned());
    }
    // Labelled rows: both strips and every `step`-th lane (all of them when lanes are tall).
    let step = b.label_step();
    let labelled: Vec<usize> = (0..rows)
        .filter(|r| *r < 2 || (r - 2) % step == 0)
        .collect();
    let mut chart = ChartBuilder::on(&body)
        .margin_left(10)
        .margin_right(24)
        .margin_top(2)
        .margin_bottom(4)
        .x_label_area_size(AXIS_H - 12)
        .y_label_area_size(170)
        .build_cartesian_2d(
            0.0..len_ms,
            Ticks::new(
                0.0..top,
                labelled.iter().map(|r| centre(*r)).collect(),
                Vec::new(),
            ),
        )?;
    let row_name = |y: &f64| {
        labelled
            .iter()
            .min_by(|a, b| (centre(**a) - y).abs().total_cmp(&(centre(**b) - y).abs()))
            .and_then(|r| names.get(*r).cloned())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(format!(
            "time (ms) within the window, which starts {} ms into the day",
            fmt_num(from_us as f64 / 1_000.0)
        ))
        .x_labels(12)
        .x_label_formatter(&|x| fmt_num(*x))
        .y_label_formatter(&row_name)
        .label_style(text(14.0, INK))
        .axis_desc_style(text(14.0, INK))
        .bold_line_style(GRID_LIGHT)
        .light_line_style(WHITE)
        .axis_style(INK)
        .draw()?;

    // Backgrounds: event strips, then idle lanes (alternating slightly).
    let lanes_top = b.row_span(1).0;
    chart.draw_series((0..rows).map(|r| {
        let c = if r < 2 {
            WHITE
        } else if r % 2 == 0 {
            IDLE
        } else {
            tint(IDLE, 0.4)
        };
        let (lo, hi) = b.row_span(r);
        Rectangle::new([(0.0, hi), (len_ms, lo)], c.filled())
    }))?;
    chart.draw_series([PathElement::new(
        vec![(0.0, lanes_top), (len_ms, lanes_top)],
        GRID.stroke_width(1),
    )])?;

    let ms = |us: u64| (us as f64 - from_us as f64) / 1_000.0;
    let in_window = |t: f64| (0.0..=len_ms).contains(&t);
    // Faint guides down through the lanes, then the marks on their strips.
    let rings: Vec<f64> = run
        .rings_us
        .iter()
        .map(|u| ms(*u))
        .filter(|t| in_window(*t))
        .collect();
    let dues: Vec<f64> = run
        .dues_us
        .iter()
        .map(|u| ms(*u))
        .filter(|t| in_window(*t))
        .collect();
    chart.draw_series(rings.iter().map(|t| {
        PathElement::new(
            vec![(*t, 0.0), (*t, centre(0))],
            tint(RING, 0.78).stroke_width(1),
        )
    }))?;
    chart.draw_series(dues.iter().map(|t| {
        PathElement::new(
            vec![(*t, 0.0), (*t, centre(1))],
            tint(DUE, 0.6).stroke_width(1),
        )
    }))?;

    // Work. A bar is at least ~1 px wide so the shortest pick-up still shows.
    let px = chart.plotting_area().dim_in_pixel().0.max(1) as f64;
    let min_w = len_ms / px;
    let bars = run.timeline.spans.iter().filter_map(|s| {
        let lane = b.lane_of(s.thread, s.cpu)?;
        let r = 2 + lane;
        let a = (s.start_ns as f64 / 1_000.0 - from_us as f64) / 1_000.0;
        let e = (s.end_ns as f64 / 1_000.0 - from_us as f64) / 1_000.0;
        let (a, e) = (a.max(0.0), e.min(len_ms));
        if e < a {
            return None;
        }
        let e = e.max(a + min_w);
        let c = match s.doing {
            Doing::Phone => PHONE,
            Doing::Desk => DESK,
        };
        let (lo, hi) = b.row_span(r);
        let pad = (hi - lo) * 0.15;
        let (y0, y1) = (hi - pad, lo + pad);
        Some(Rectangle::new([(a, y0), (e, y1)], c.filled()))
    });
    chart.draw_series(bars)?;

    chart.draw_series(
        rings
            .iter()
            .map(|t| TriangleMarker::new((*t, centre(0)), 6, RING.filled())),
    )?;
    chart.draw_series(
        dues.iter()
            .map(|t| Circle::new((*t, centre(1)), 5, DUE.filled())),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use workload::protocol::{ThreadUse, Timeline};
    use workload::record::Span;

    fn run(threads: u32) -> TimelineRun {
        let spans = (0..threads)
            .map(|t| Span {
                thread: t,
                cpu: t % 2,
                doing: Doing::Phone,
                id: t,
                start_ns: 1_000_000 + u64::from(t) * 10_000,
                end_ns: 1_000_000 + u64::from(t) * 10_000 + 5_000,
            })
            .collect();
        TimelineRun {
            strategy: "threads".into(),
            scenario: "office".into(),
            cores: 2,
            rings_us: vec![],
            dues_us: vec![],
            timeline: Timeline {
                from_us: 1_000,
                len_us: 1_000,
                spans,
            },
            threads: vec![
                ThreadUse {
                    index: 0,
                    name: "call".into(),
                    calls: 1,
                    desk_chunks: 0,
                },
                ThreadUse {
                    index: 1,
                    name: "call".into(),
                    calls: 1,
                    desk_chunks: 0,
                },
            ],
        }
    }

    /// A day with rings at 600.5 ms and 601 ms (µs), a check of appointment 7 from 600.9 ms to
    /// 603 ms in chunks on thread 0, and the phone on `phone_thread` answering 601 ms's ring
    /// at `answer_us`.
    fn essay_run(phone_thread: u32, answer_us: u64) -> TimelineRun {
        let mut r = run(0);
        r.rings_us = vec![600_500, 601_000];
        r.timeline = Timeline {
            from_us: 0,
            len_us: 1_000_000,
            spans: (0..21)
                .map(|i| Span {
                    thread: 0,
                    cpu: 0,
                    doing: Doing::Desk,
                    id: 7,
                    start_ns: 600_900_000 + i * 100_000,
                    end_ns: 600_900_000 + i * 100_000 + 90_000,
                })
                .chain(std::iter::once(Span {
                    thread: phone_thread,
                    cpu: phone_thread,
                    doing: Doing::Phone,
                    id: 1,
                    start_ns: answer_us * 1_000,
                    end_ns: answer_us * 1_000 + 20_000,
                }))
                .collect(),
        };
        r
    }

    #[test]
    fn the_essay_zooms_on_a_ring_answered_while_a_check_is_under_way_in_both_runs() {
        let one = essay_run(0, 601_040);
        let two = essay_run(1, 601_010);
        // 600.5 ms rings before the check; 601 ms rings during it and is answered in both.
        assert_eq!(common_ring(&[&one, &two]), Some(601_000));
        let f = focus(&one, 601_000);
        assert_eq!((f.timeline.from_us, f.timeline.len_us), (600_000, 6_000));
        assert_eq!(f.rings_us, [600_500, 601_000]);
        // Answered only after the check (a secretary who finishes the job first): no ring.
        let late = essay_run(0, 603_100);
        assert_eq!(common_ring(&[&late, &two]), None);
    }

    #[test]
    fn few_threads_get_named_lanes_and_twins_get_numbers() {
        let r = run(3);
        let b = Block::new(&r);
        assert!(!b.by_cpu);
        let labels: Vec<&str> = b.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["call #0", "call #1", "thread 2"]);
    }

    #[test]
    fn many_threads_are_grouped_by_cpu() {
        let r = run(40);
        let b = Block::new(&r);
        assert!(b.by_cpu);
        assert_eq!(b.threads, 40);
        let labels: Vec<&str> = b.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["CPU 0", "CPU 1"]);
        assert_eq!(b.lane_of(7, 1), Some(1));
    }

    #[test]
    fn long_names_are_shortened() {
        let mut r = run(1);
        r.threads[0].name = "a-very-long-thread-name-indeed".into();
        let b = Block::new(&r);
        assert_eq!(b.lanes[0].label, "a-very-long-thread-…");
    }

    #[test]
    fn a_picture_shows_its_slice_of_a_longer_window() {
        let mut r = run(3);
        r.timeline.from_us = 0;
        r.timeline.len_us = 1_000_000;
        for s in &mut r.timeline.spans {
            s.start_ns += 500_000_000;
            s.end_ns += 500_000_000;
        }
        r.timeline.spans.push(Span {
            thread: 7,
            cpu: 0,
            doing: Doing::Desk,
            id: 9,
            start_ns: 100_000_000,
            end_ns: 101_000_000,
        });
        r.rings_us = vec![100_000, 510_000, 600_000];
        let s = shown(&r);
        assert_eq!((s.timeline.from_us, s.timeline.len_us), SHOWN_US);
        assert_eq!(s.rings_us, [510_000]);
        assert!(s.timeline.spans.iter().all(|x| x.thread != 7));
        assert_eq!(
            Block::new(&s).lanes.len(),
            3,
            "only the slice's threads get lanes"
        );
        // A recorded window that does not cover the usual slice: its first 40 ms.
        r.timeline.from_us = 90_000;
        r.timeline.len_us = 20_000;
        let s = shown(&r);
        assert_eq!((s.timeline.from_us, s.timeline.len_us), (90_000, 20_000));
        assert_eq!(s.rings_us, [100_000]);
        assert_eq!(s.timeline.spans.len(), 1);
        assert_eq!(s.timeline.spans[0].thread, 7);
    }
}
