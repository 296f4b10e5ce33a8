//! Charts as inline SVG, drawn on the server: the geometry is computed here, the SVG
//! written by templates (`templates/charts/`), so every label is escaped by askama.
//! Colours come from the stylesheet (classes).
//!
//! The charts are [`W`] user units wide and their text [`FONT`] units high; the page
//! shows them at most 520 px wide (app.css), and about 350 px wide on a 390 px
//! phone, so their labels are never smaller than about 10 px.

use std::collections::{BTreeMap, BTreeSet};

use aidledger_core::Status;
use askama::Template;

use super::{Markup, PageError};

/// Width of every chart, in user units.
pub const W: f64 = 440.0;
/// Size of the charts' text, in user units (app.css: `svg.chart text`).
pub const FONT: f64 = 14.0;
const LABEL_W: f64 = 110.0;
const TEXT_W: f64 = 96.0;
/// Average width of a character of the charts' text, in user units.
const CHAR_W: f64 = FONT * 0.62;

/// Rounded to a tenth, for short SVG attributes.
fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One row of a two-bar chart (committed vs delivered).
pub struct PairBar {
    pub label: String,
    pub href: String,
    pub a: f64,
    pub b: f64,
    pub a_text: String,
    pub b_text: String,
}

/// One bar.
pub struct Bar {
    pub label: String,
    pub href: Option<String>,
    pub value: f64,
    pub text: String,
}

/// One entry of a legend, placed.
pub struct LegendItem {
    pub x: f64,
    pub y: f64,
    pub text_x: f64,
    pub text_y: f64,
    pub class: String,
    pub text: String,
}

/// Lays out legend entries (class, text) from `top`, wrapping them within [`W`], and
/// returns them with the height they take.
fn legend(entries: &[(String, String)], top: f64) -> (Vec<LegendItem>, f64) {
    let line_h = FONT + 7.0;
    let mut out = Vec::new();
    let (mut x, mut line) = (4.0, 0.0);
    for (class, text) in entries {
        let text = shorten(text, ((W - 24.0) / CHAR_W) as usize);
        let w = 16.0 + text.chars().count() as f64 * CHAR_W + 12.0;
        if x > 4.0 && x + w > W {
            x = 4.0;
            line += 1.0;
        }
        let y = top + line * line_h;
        out.push(LegendItem {
            x: r1(x),
            y: r1(y),
            text_x: r1(x + 16.0),
            text_y: r1(y + FONT - 3.0),
            class: class.clone(),
            text,
        });
        x += w;
    }
    let h = if out.is_empty() {
        0.0
    } else {
        (line + 1.0) * line_h
    };
    (out, h)
}

fn scale(max: f64, v: f64) -> f64 {
    if max <= 0.0 || !v.is_finite() || v <= 0.0 {
        0.0
    } else {
        r1(((v / max) * (W - LABEL_W - TEXT_W)).max(1.0))
    }
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n.saturating_sub(1)).chain(['…']).collect()
    }
}

/// A row label of a bar chart.
pub struct RowLabel {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub href: Option<String>,
}

fn row_label(y: f64, text: &str, href: Option<&str>) -> RowLabel {
    RowLabel {
        x: LABEL_W - 6.0,
        y: r1(y),
        text: shorten(text, ((LABEL_W - 8.0) / CHAR_W) as usize),
        href: href.map(str::to_string),
    }
}

/// One drawn bar with its value text.
pub struct DrawnBar {
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub class: &'static str,
    pub title: String,
    pub text: String,
    pub text_x: f64,
    pub text_y: f64,
}

#[derive(Template)]
#[template(path = "charts/bars.html")]
struct BarsTpl<'a> {
    w: f64,
    h: f64,
    x0: f64,
    aria: &'a str,
    legend: Vec<LegendItem>,
    labels: Vec<RowLabel>,
    bars: Vec<DrawnBar>,
}

/// Horizontal bars, two per row, with a legend above them when `show_legend` (the
/// first of several charts of one section).
pub fn pair_bars(
    rows: &[PairBar],
    a_legend: &str,
    b_legend: &str,
    show_legend: bool,
) -> Result<Markup, PageError> {
    let entries: Vec<(String, String)> = if show_legend {
        vec![
            ("bar-a".into(), a_legend.into()),
            ("bar-b".into(), b_legend.into()),
        ]
    } else {
        Vec::new()
    };
    let (legend, legend_h) = legend(&entries, 4.0);
    let top = legend_h + 10.0;
    let row_h = 40.0;
    let max = rows.iter().map(|r| r.a.max(r.b)).fold(0.0, f64::max);
    let mut labels = Vec::new();
    let mut bars = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        labels.push(row_label(y + 19.0, &r.label, Some(&r.href)));
        for (k, (v, text, class, what)) in [
            (r.a, &r.a_text, "bar-a", "committed"),
            (r.b, &r.b_text, "bar-b", "delivered"),
        ]
        .into_iter()
        .enumerate()
        {
            let w = scale(max, v);
            let by = y + k as f64 * 17.0;
            bars.push(DrawnBar {
                y: r1(by),
                w,
                h: 14.0,
                class,
                title: format!("{}: {text} {what}", r.label),
                text: text.clone(),
                text_x: r1(LABEL_W + w + 4.0),
                text_y: r1(by + 12.0),
            });
        }
    }
    Markup::of(&BarsTpl {
        w: W,
        h: r1(top + rows.len() as f64 * row_h + 4.0),
        x0: LABEL_W,
        aria: &format!("{a_legend} and {b_legend}"),
        legend,
        labels,
        bars,
    })
}

/// Horizontal bars, one per row.
pub fn bars(rows: &[Bar], aria: &str) -> Result<Markup, PageError> {
    let row_h = 24.0;
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let mut labels = Vec::new();
    let mut drawn = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * row_h;
        labels.push(row_label(y + 13.0, &r.label, r.href.as_deref()));
        let w = scale(max, r.value);
        drawn.push(DrawnBar {
            y: r1(y),
            w,
            h: 17.0,
            class: "bar-c",
            title: format!("{}: {}", r.label, r.text),
            text: r.text.clone(),
            text_x: r1(LABEL_W + w + 4.0),
            text_y: r1(y + 13.0),
        });
    }
    Markup::of(&BarsTpl {
        w: W,
        h: r1(rows.len() as f64 * row_h + 8.0),
        x0: LABEL_W,
        aria,
        legend: Vec::new(),
        labels,
        bars: drawn,
    })
}

/// Every month from the first to the last of `counts` (empty ones included), at most
/// the last `max` of them.
pub fn month_range(
    counts: &BTreeMap<String, BTreeMap<Status, usize>>,
    max: usize,
) -> Vec<(String, BTreeMap<Status, usize>)> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        Some((
            y.parse().ok()?,
            mo.parse().ok().filter(|m| (1..=12).contains(m))?,
        ))
    };
    let (Some(first), Some(last)) = (
        counts.keys().find_map(|m| parse(m)),
        counts.keys().rev().find_map(|m| parse(m)),
    ) else {
        return Vec::new();
    };
    let index = |(y, m): (i32, u32)| i64::from(y) * 12 + i64::from(m) - 1;
    let (a, z) = (index(first), index(last));
    let a = a.max(z - max as i64 + 1);
    (a..=z)
        .map(|i| {
            let m = format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1);
            let by = counts.get(&m).cloned().unwrap_or_default();
            (m, by)
        })
        .collect()
}

/// One stacked segment of a month's bar.
pub struct Segment {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub status: &'static str,
    pub title: String,
}

/// A label under the month axis.
pub struct Tick {
    pub x: f64,
    pub text: String,
}

#[derive(Template)]
#[template(path = "charts/months.html")]
struct MonthsTpl {
    w: f64,
    h: f64,
    left: f64,
    axis_y: f64,
    right: f64,
    max: usize,
    max_y: f64,
    tick_y: f64,
    segments: Vec<Segment>,
    ticks: Vec<Tick>,
    legend: Vec<LegendItem>,
}

/// Vertical bars per month, stacked by stage status, every month shown (empty ones
/// too), with a legend under the axis that wraps instead of running off the chart.
pub fn months(months: &[(String, BTreeMap<Status, usize>)]) -> Result<Option<Markup>, PageError> {
    if months.is_empty() {
        return Ok(None);
    }
    let (left, top, plot_h) = (30.0, 10.0, 150.0);
    let axis_y = top + plot_h;
    let max = months
        .iter()
        .map(|(_, m)| m.values().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let slot = (W - left - 6.0) / months.len() as f64;
    let bar_w = (slot * 0.75).max(1.0);
    let mut segments = Vec::new();
    let mut ticks = Vec::new();
    // a label every `every` months, the labels ("2022-08") never overlapping
    let label_w = 7.0 * CHAR_W + 6.0;
    let every = ((label_w / slot).ceil() as usize).max(1);
    for (i, (m, by)) in months.iter().enumerate() {
        let x = left + i as f64 * slot + (slot - bar_w) / 2.0;
        let mut y = axis_y;
        for (st, n) in by {
            let h = *n as f64 / max as f64 * plot_h;
            y -= h;
            segments.push(Segment {
                x: r1(x),
                y: r1(y),
                w: r1(bar_w),
                h: r1(h),
                status: st.as_str(),
                title: format!("{m}: {n} {}", st.as_str()),
            });
        }
        if i % every == 0 {
            ticks.push(Tick {
                x: r1(x + bar_w / 2.0),
                text: m.clone(),
            });
        }
    }
    let used: BTreeSet<Status> = months.iter().flat_map(|(_, m)| m.keys().copied()).collect();
    let entries: Vec<(String, String)> = used
        .iter()
        .map(|s| (format!("fill-{}", s.as_str()), s.as_str().to_string()))
        .collect();
    let legend_top = axis_y + FONT + 14.0;
    let (legend, legend_h) = legend(&entries, legend_top);
    Markup::of(&MonthsTpl {
        w: W,
        h: r1(legend_top + legend_h + 4.0),
        left,
        axis_y,
        right: W - 6.0,
        max,
        max_y: top + 9.0,
        tick_y: r1(axis_y + FONT + 3.0),
        segments,
        ticks,
        legend,
    })
    .map(Some)
}

/// One point of a series: its day number (for the x axis), value, and texts.
pub struct SeriesPoint {
    pub day: i64,
    pub value: f64,
    pub date: String,
    pub text: String,
}

/// A point placed.
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub title: String,
}

#[derive(Template)]
#[template(path = "charts/line.html")]
struct LineTpl<'a> {
    w: f64,
    h: f64,
    aria: &'a str,
    path: String,
    dots: Vec<Dot>,
    left: f64,
    right: f64,
    base_y: f64,
    date_y: f64,
    first: &'a str,
    last: &'a str,
    max_text: &'a str,
    min_text: &'a str,
    top_y: f64,
}

/// A series drawn as a line on a time axis (x by date, y from the smallest to the
/// largest value), each point with its date and value as a tooltip; the first and last
/// dates under the axis, the smallest and largest values at the left.
pub fn line(points: &[SeriesPoint], aria: &str) -> Result<Option<Markup>, PageError> {
    let pts: Vec<&SeriesPoint> = points.iter().filter(|p| p.value.is_finite()).collect();
    // one point is no line: its text says it all
    let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
        return Ok(None);
    };
    if pts.len() < 2 {
        return Ok(None);
    }
    let (left, right, top, base) = (12.0, W - 12.0, 22.0, 110.0);
    let (d0, d1) = (first.day, last.day);
    let lo = pts.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
    let hi = pts
        .iter()
        .map(|p| p.value)
        .fold(f64::NEG_INFINITY, f64::max);
    let x_of = |d: i64| {
        if d1 == d0 {
            (left + right) / 2.0
        } else {
            left + (d - d0) as f64 / (d1 - d0) as f64 * (right - left)
        }
    };
    let y_of = |v: f64| {
        if hi <= lo {
            (top + base) / 2.0
        } else {
            base - (v - lo) / (hi - lo) * (base - top)
        }
    };
    let dots: Vec<Dot> = pts
        .iter()
        .map(|p| Dot {
            x: r1(x_of(p.day)),
            y: r1(y_of(p.value)),
            title: format!("{}: {}", p.date, p.text),
        })
        .collect();
    let path = dots
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{}{} {}", if i == 0 { "M" } else { "L" }, d.x, d.y))
        .collect::<Vec<_>>()
        .join(" ");
    let max_p = pts
        .iter()
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .unwrap_or(last);
    let min_p = pts
        .iter()
        .min_by(|a, b| a.value.total_cmp(&b.value))
        .unwrap_or(first);
    Markup::of(&LineTpl {
        w: W,
        h: base + FONT + 14.0,
        aria,
        path,
        dots,
        left,
        right,
        base_y: base,
        date_y: base + FONT + 8.0,
        first: &first.date,
        last: &last.date,
        max_text: &max_p.text,
        min_text: &min_p.text,
        top_y: top - 8.0,
    })
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_months_are_drawn() {
        let mut counts: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
        counts
            .entry("2022-11".into())
            .or_default()
            .insert(Status::Pledged, 2);
        counts
            .entry("2023-02".into())
            .or_default()
            .insert(Status::Delivered, 1);
        let r = month_range(&counts, 36);
        let names: Vec<&str> = r.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(names, ["2022-11", "2022-12", "2023-01", "2023-02"]);
        assert!(r[1].1.is_empty() && r[2].1.is_empty());
        // at most the last `max`
        let r = month_range(&counts, 2);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].0, "2023-02");
        let svg = months(&month_range(&counts, 36)).unwrap().unwrap();
        // four slots: the empty months take their place on the axis and are labelled
        let s = svg.as_str();
        assert!(
            s.contains(">2022-12</text>") && s.contains(">2023-01</text>"),
            "{s}"
        );
        let delivered_x: f64 = s
            .split("class=\"fill-delivered\"")
            .next()
            .and_then(|before| before.rsplit("<rect x=\"").next())
            .and_then(|r| r.split('"').next())
            .and_then(|x| x.parse().ok())
            .unwrap();
        assert!(
            delivered_x > W * 0.7,
            "the last month's bar at {delivered_x}"
        );
    }

    #[test]
    fn legends_stay_inside_the_chart() {
        let entries: Vec<(String, String)> = Status::ALL
            .iter()
            .map(|s| (format!("fill-{}", s.as_str()), s.as_str().to_string()))
            .collect();
        let (items, h) = legend(&entries, 0.0);
        assert_eq!(items.len(), Status::ALL.len());
        assert!(h > FONT * 2.0, "ten statuses need more than one line");
        for it in &items {
            let right = it.text_x + it.text.chars().count() as f64 * CHAR_W;
            assert!(right <= W, "{} ends at {right}", it.text);
            assert!(it.text_y <= h, "{} below the legend", it.text);
        }
        // the months chart is tall enough for its legend
        let mut counts: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
        for (i, s) in Status::ALL.iter().enumerate() {
            counts
                .entry(format!("2022-{:02}", i + 1))
                .or_default()
                .insert(*s, 1);
        }
        let svg = months(&month_range(&counts, 36)).unwrap().unwrap();
        let s = svg.as_str();
        let vb: f64 = s
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|r| r.split(' ').nth(1))
            .and_then(|h| h.parse().ok())
            .unwrap();
        let lowest = s
            .split("class=\"legend\" y=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next()?.parse::<f64>().ok())
            .fold(0.0, f64::max);
        assert!(
            lowest > 0.0 && lowest < vb,
            "legend text at {lowest}, chart {vb} high"
        );
    }

    /// The width a chart gets on a 390 px wide phone (the page's and the card's
    /// padding taken off; app.css).
    const PHONE_W: f64 = 350.0;

    #[test]
    fn series_run_left_to_right_by_date() {
        let p = |day, value: f64, date: &str| SeriesPoint {
            day,
            value,
            date: date.into(),
            text: format!("USD {value} bn"),
        };
        let svg = line(
            &[
                p(0, 1.0, "2022-03-01"),
                p(100, 3.0, "2022-06-09"),
                p(400, 2.0, "2023-04-05"),
            ],
            "totals",
        )
        .unwrap()
        .unwrap();
        let s = svg.as_str();
        assert!(s.contains("d=\"M12 110 L116 22 L428 66\""), "{s}");
        assert!(s.contains("<title>2022-06-09: USD 3 bn</title>"), "{s}");
        assert!(
            s.contains(">2022-03-01</text>") && s.contains(">2023-04-05</text>"),
            "{s}"
        );
        assert!(line(&[], "x").unwrap().is_none());
        assert!(line(&[p(0, 1.0, "2022-03-01")], "x").unwrap().is_none());
    }

    #[test]
    fn labels_readable_on_a_phone() {
        // the chart is scaled to the phone's width: its text must stay near 10 px
        const { assert!(FONT * PHONE_W / W >= 10.0) };
    }
}
