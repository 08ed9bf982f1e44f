//! Inline SVG charts, drawn with integer arithmetic so that the same scores draw the same bytes.
//!
//! A chart is an image to assistive technology (`role="img"`), named by its `<title>` and
//! described by its `<desc>`, which says its figures in words; it holds nothing focusable. A bar
//! or a row that stands for a town carries the town's page in `data-href`, which the theme's
//! script opens on a click; the tables beside the charts link to the same pages.

use std::fmt::Write as _;

use crate::model::Points;

pub struct Bar<'a> {
    pub label: &'a str,
    /// The town's page; `None` when the site does not have it (another town, in a bundle).
    pub href: Option<String>,
    pub value: Points,
    pub flagged: bool,
}

pub struct HeatRow<'a> {
    pub label: &'a str,
    /// The town's page; `None` when the site does not have it.
    pub href: Option<String>,
    /// Per item: (points lost, points), or `None` when not assessed.
    pub cells: Vec<Option<(Points, Points)>>,
}

/// What a chart says to a reader who cannot see it.
pub struct Alt<'a> {
    /// Unique on its page: the ids of the chart's title and description start with it.
    pub id: &'a str,
    /// A short name: what the chart is of.
    pub title: &'a str,
    /// Its figures in words.
    pub desc: &'a str,
}

/// The opening tag of a chart, its title and its description.
fn open(class: &str, alt: &Alt, width: i64, height: i64) -> String {
    format!(
        "<svg class=\"chart {class}\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        id = escape(alt.id),
        title = escape(alt.title),
        desc = escape(alt.desc),
    )
}

/// The tags around a town's bar or row that carry its page; none without a page.
fn link(href: Option<&str>) -> (String, &'static str) {
    match href {
        Some(href) => (format!("<g data-href=\"{}\">", escape(href)), "</g>"),
        None => (String::new(), ""),
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar per town, longest first, against the rubric's total.
pub fn bars(bars: &[Bar], max: Points, alt: &Alt) -> String {
    // Narrow enough that shrunk to a phone's width its text stays legible.
    const LABEL: i64 = 80;
    const WIDTH: i64 = 340;
    const ROW: i64 = 22;
    let height = ROW * bars.len() as i64 + 8;
    let total = LABEL + WIDTH + 60;
    let mut svg = open("bars", alt, total, height);
    let max = max.0.max(1);
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as i64 + 4;
        let width = bar.value.0.clamp(0, max) * WIDTH / max;
        let class = if bar.flagged { "bar flagged" } else { "bar" };
        let (open, close) = link(bar.href.as_deref());
        let _ = write!(
            svg,
            "{open}<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
<rect class=\"{class}\" x=\"{LABEL}\" y=\"{y}\" width=\"{width}\" height=\"{h}\"><title>{label} {value}</title></rect>\
<text class=\"value\" x=\"{vx}\" y=\"{ty}\">{value}</text>{close}",
            lx = LABEL - 8,
            ty = y + 14,
            label = escape(bar.label),
            h = ROW - 6,
            vx = LABEL + width + 6,
            value = bar.value.fixed(2),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The one-point bins of the totals from 0 to `max` that hold any town: (bin, towns), lowest
/// first, the last bin holding `max` itself; as `histogram` draws them.
pub fn bins(totals: &[Points], max: Points) -> impl Iterator<Item = (usize, i64)> {
    counts(totals, max)
        .into_iter()
        .enumerate()
        .filter(|&(_, n)| n > 0)
}

fn counts(totals: &[Points], max: Points) -> Vec<i64> {
    let bins = (max.0 / 100).clamp(1, 1000) as usize;
    let mut counts = vec![0i64; bins + 1];
    for t in totals {
        let bin = (t.0.max(0) / 100).min(bins as i64) as usize;
        counts[bin] += 1;
    }
    counts
}

/// How many towns have each published total, in one-point bins from 0 to `max`: the ranking's
/// chart when there are too many towns for a bar each.
pub fn histogram(
    totals: &[Points],
    max: Points,
    flagged_below: Option<Points>,
    alt: &Alt,
) -> String {
    const WIDTH: i64 = 4;
    const HEIGHT: i64 = 160;
    let counts = counts(totals, max);
    let bins = counts.len() - 1;
    let peak = counts.iter().copied().max().unwrap_or(1).max(1);
    let width = WIDTH * counts.len() as i64 + 40;
    let height = HEIGHT + 24;
    let mut svg = open("histogram", alt, width, height);
    for (bin, count) in counts.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let h = (count * HEIGHT / peak).max(1);
        let flagged = flagged_below.is_some_and(|b| (bin as i64 + 1) * 100 <= b.0 + 100);
        let _ = write!(
            svg,
            "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\"><title>{bin}–{}: {count}</title></rect>",
            if flagged { "bar flagged" } else { "bar" },
            20 + WIDTH * bin as i64,
            HEIGHT - h,
            WIDTH - 1,
            bin + 1
        );
    }
    for tick in (0..=bins).step_by(10) {
        let _ = write!(
            svg,
            "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>",
            20 + WIDTH * tick as i64,
            HEIGHT + 16
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Towns down, items across; the darker a cell, the larger the share of the item's points lost.
pub fn heatmap(items: &[&str], rows: &[HeatRow], alt: &Alt) -> String {
    const LABEL: i64 = 90;
    const CELL: i64 = 20;
    const HEAD: i64 = 26;
    let width = LABEL + CELL * items.len() as i64 + 4;
    let height = HEAD + CELL * rows.len() as i64 + 4;
    let mut svg = open("heatmap", alt, width, height);
    for (j, item) in items.iter().enumerate() {
        let _ = write!(
            svg,
            "<text class=\"head\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            LABEL + CELL * j as i64 + CELL / 2,
            HEAD - 8,
            escape(item)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        let y = HEAD + CELL * i as i64;
        let (open, close) = link(row.href.as_deref());
        let _ = write!(
            svg,
            "{open}<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>{close}",
            LABEL - 6,
            y + 14,
            escape(row.label)
        );
        for (j, cell) in row.cells.iter().enumerate() {
            let x = LABEL + CELL * j as i64;
            let item = items.get(j).copied().unwrap_or("");
            match cell {
                Some((lost, points)) => {
                    let share = (lost.0.max(0) * 100)
                        .checked_div(points.0)
                        .unwrap_or(0)
                        .min(100);
                    if share == 0 {
                        let _ = write!(
                            svg,
                            "<rect class=\"cell-full\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{w}\"/>",
                            w = CELL - 2
                        );
                    }
                    // The score against the item's points, and what was lost when anything was.
                    let lost_text = if lost.0 > 0 {
                        format!(" (−{lost})")
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        svg,
                        "<rect class=\"cell\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{w}\" fill-opacity=\"{o}\"><title>{label} · {item}: {score} / {points}{lost_text}</title></rect>",
                        w = CELL - 2,
                        o = format_args!("{}.{:02}", share / 100, share % 100),
                        label = escape(row.label),
                        item = escape(item),
                        score = *points - *lost,
                    );
                }
                None => {
                    let _ = write!(
                        svg,
                        "<rect class=\"cell-na\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{w}\"><title>{label} · {item}: —</title></rect>",
                        w = CELL - 2,
                        label = escape(row.label),
                        item = escape(item),
                    );
                }
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One round of a town's trend: the round's label, and the town's total when it was ranked.
pub struct TrendPoint<'a> {
    pub label: &'a str,
    pub total: Option<Points>,
    /// The rank, written out (第 3 名), under the round's label.
    pub rank: Option<String>,
}

/// How many ranked towns got each grade, highest grade first: a bar per grade, against the
/// number of towns ranked.
pub fn grades(counts: &[(&str, u32)], alt: &Alt) -> String {
    const LABEL: i64 = 80;
    const WIDTH: i64 = 300;
    const ROW: i64 = 22;
    let height = ROW * counts.len() as i64 + 8;
    let total = LABEL + WIDTH + 60;
    let all = i64::from(counts.iter().map(|(_, n)| *n).sum::<u32>()).max(1);
    let mut svg = open("bars", alt, total, height);
    for (i, (label, count)) in counts.iter().enumerate() {
        let y = ROW * i as i64 + 4;
        let width = i64::from(*count) * WIDTH / all;
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
<rect class=\"bar\" x=\"{LABEL}\" y=\"{y}\" width=\"{width}\" height=\"{h}\"/>\
<text class=\"value\" x=\"{vx}\" y=\"{ty}\">{count}</text>",
            lx = LABEL - 8,
            ty = y + 14,
            label = escape(label),
            h = ROW - 6,
            vx = LABEL + width + 6,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A town's total across rounds, oldest first, as a line against the rubric's total, with its
/// rank under each round; a round that did not rank the town breaks the line.
pub fn trend(points: &[TrendPoint], max: Points, alt: &Alt) -> String {
    const LEFT: i64 = 10;
    const STEP: i64 = 120;
    const HEIGHT: i64 = 120;
    const TOP: i64 = 10;
    let width = LEFT + STEP * points.len().max(1) as i64;
    let ranks = points.iter().any(|p| p.rank.is_some());
    let total = HEIGHT + TOP + if ranks { 46 } else { 30 };
    let max = max.0.max(1);
    let y = |p: Points| TOP + HEIGHT - p.0.clamp(0, max) * HEIGHT / max;
    let mut svg = open("trend", alt, width, total);
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{b}\" x2=\"{width}\" y2=\"{b}\"/>",
        b = TOP + HEIGHT
    );
    let mut line: Vec<String> = Vec::new();
    let mut segments = Vec::new();
    for (i, point) in points.iter().enumerate() {
        let x = LEFT + STEP * i as i64 + STEP / 2;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\">{label}</text>",
            ty = TOP + HEIGHT + 20,
            label = escape(point.label)
        );
        if let Some(rank) = &point.rank {
            let _ = write!(
                svg,
                "<text class=\"value\" x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\">{rank}</text>",
                ty = TOP + HEIGHT + 38,
                rank = escape(rank)
            );
        }
        match point.total {
            Some(p) => {
                line.push(format!("{x},{}", y(p)));
                let _ = write!(
                    svg,
                    "<circle cx=\"{x}\" cy=\"{cy}\" r=\"4\"/><text class=\"value\" x=\"{x}\" y=\"{vy}\" text-anchor=\"middle\">{value}</text>",
                    cy = y(p),
                    vy = y(p) - 8,
                    value = p.fixed(2)
                );
            }
            None => segments.push(std::mem::take(&mut line)),
        }
    }
    segments.push(line);
    for segment in segments.iter().filter(|s| s.len() > 1) {
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"currentColor\" points=\"{}\"/>",
            segment.join(" ")
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_total_and_escape_labels() {
        let svg = bars(
            &[Bar {
                label: "<b>",
                href: Some("towns/a/".into()),
                value: Points(5000),
                flagged: true,
            }],
            Points(10000),
            &Alt {
                id: "totals",
                title: "Totals",
                desc: "<b> 50.00",
            },
        );
        assert!(svg.contains("width=\"170\""), "{svg}");
        assert!(svg.contains("&lt;b&gt;"), "{svg}");
        assert!(svg.contains(">50.00<"), "{svg}");
        assert!(
            svg.contains("<title id=\"totals-title\">Totals</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<desc id=\"totals-desc\">&lt;b&gt; 50.00</desc>"),
            "{svg}"
        );
        assert!(svg.contains("<g data-href=\"towns/a/\">"), "{svg}");
        assert!(!svg.contains("<a "), "nothing focusable in an image: {svg}");
    }
}
