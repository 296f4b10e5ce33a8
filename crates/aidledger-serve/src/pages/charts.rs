//! Charts as inline SVG, drawn on the server. Colours come from the stylesheet
//! (classes), every label is escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use aidledger_core::Status;

use super::escape;

const W: f64 = 640.0;
const LABEL_W: f64 = 110.0;
const TEXT_W: f64 = 110.0;

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

fn scale(max: f64, v: f64) -> f64 {
    if max <= 0.0 || !v.is_finite() || v <= 0.0 {
        0.0
    } else {
        ((v / max) * (W - LABEL_W - TEXT_W)).max(1.0)
    }
}

fn label(x: f64, y: f64, text: &str, href: Option<&str>) -> String {
    let t = format!(
        r#"<text x="{x:.1}" y="{y:.1}" class="lbl" text-anchor="end">{}</text>"#,
        escape(&shorten(text, 16))
    );
    match href {
        Some(h) => format!(r#"<a href="{}">{t}</a>"#, escape(h)),
        None => t,
    }
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

/// Horizontal bars, two per row, with a legend.
pub fn pair_bars(rows: &[PairBar], a_legend: &str, b_legend: &str) -> String {
    let row_h = 34.0;
    let h = rows.len() as f64 * row_h + 30.0;
    let max = rows.iter().map(|r| r.a.max(r.b)).fold(0.0, f64::max);
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {h}" role="img" aria-label="{} and {}">"#,
        escape(a_legend),
        escape(b_legend)
    );
    let _ = write!(
        s,
        r#"<rect x="{LABEL_W}" y="4" width="12" height="10" class="bar-a"/><text x="{:.0}" y="13" class="legend">{}</text><rect x="{:.0}" y="4" width="12" height="10" class="bar-b"/><text x="{:.0}" y="13" class="legend">{}</text>"#,
        LABEL_W + 16.0,
        escape(a_legend),
        LABEL_W + 230.0,
        LABEL_W + 246.0,
        escape(b_legend)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 26.0 + i as f64 * row_h;
        s.push_str(&label(LABEL_W - 8.0, y + 17.0, &r.label, Some(&r.href)));
        let (wa, wb) = (scale(max, r.a), scale(max, r.b));
        let _ = write!(
            s,
            r#"<rect x="{LABEL_W}" y="{y:.1}" width="{wa:.1}" height="13" class="bar-a"><title>{}: {} committed</title></rect><text x="{:.1}" y="{:.1}" class="val">{}</text>"#,
            escape(&r.label),
            escape(&r.a_text),
            LABEL_W + wa + 4.0,
            y + 11.0,
            escape(&r.a_text)
        );
        let _ = write!(
            s,
            r#"<rect x="{LABEL_W}" y="{:.1}" width="{wb:.1}" height="13" class="bar-b"><title>{}: {} delivered</title></rect><text x="{:.1}" y="{:.1}" class="val">{}</text>"#,
            y + 15.0,
            escape(&r.label),
            escape(&r.b_text),
            LABEL_W + wb + 4.0,
            y + 26.0,
            escape(&r.b_text)
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars, one per row.
pub fn bars(rows: &[Bar]) -> String {
    let row_h = 22.0;
    let h = rows.len() as f64 * row_h + 8.0;
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let mut s =
        format!(r#"<svg class="chart" viewBox="0 0 {W} {h}" role="img" aria-label="bar chart">"#);
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + i as f64 * row_h;
        s.push_str(&label(LABEL_W - 8.0, y + 12.0, &r.label, r.href.as_deref()));
        let w = scale(max, r.value);
        let _ = write!(
            s,
            r#"<rect x="{LABEL_W}" y="{y:.1}" width="{w:.1}" height="15" class="bar-c"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" class="val">{}</text>"#,
            escape(&r.label),
            escape(&r.text),
            LABEL_W + w + 4.0,
            y + 12.0,
            escape(&r.text)
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars per month, stacked by stage status.
pub fn months(months: &[(String, BTreeMap<Status, usize>)]) -> String {
    if months.is_empty() {
        return r#"<p class="empty">No dated stages yet.</p>"#.into();
    }
    let (left, top, bottom, h) = (30.0, 10.0, 40.0, 200.0);
    let plot_h = h - top - bottom;
    let max = months
        .iter()
        .map(|(_, m)| m.values().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let slot = (W - left - 10.0) / months.len() as f64;
    let bar_w = (slot * 0.75).max(2.0);
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {}" role="img" aria-label="stages per month">"#,
        h + 22.0
    );
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="axis"/><text x="{:.1}" y="{:.1}" class="val" text-anchor="end">{}</text><text x="{:.1}" y="{:.1}" class="val" text-anchor="end">0</text>"#,
        top + plot_h,
        W - 10.0,
        top + plot_h,
        left - 4.0,
        top + 8.0,
        max as usize,
        left - 4.0,
        top + plot_h
    );
    let every = (months.len() / 8).max(1);
    for (i, (m, by)) in months.iter().enumerate() {
        let x = left + i as f64 * slot + (slot - bar_w) / 2.0;
        let mut y = top + plot_h;
        for (st, n) in by {
            let bh = *n as f64 / max * plot_h;
            y -= bh;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{bh:.1}" class="fill-{}"><title>{}: {} {}</title></rect>"#,
                st.as_str(),
                escape(m),
                n,
                st.as_str()
            );
        }
        if i % every == 0 {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" class="val" text-anchor="middle">{}</text>"#,
                x + bar_w / 2.0,
                top + plot_h + 14.0,
                escape(m)
            );
        }
    }
    // legend
    let used: std::collections::BTreeSet<Status> =
        months.iter().flat_map(|(_, m)| m.keys().copied()).collect();
    let mut lx = left;
    for st in used {
        let _ = write!(
            s,
            r#"<rect x="{lx:.1}" y="{ry:.1}" width="10" height="10" class="fill-{st}"/><text x="{tx:.1}" y="{ty:.1}" class="legend">{st}</text>"#,
            st = st.as_str(),
            ry = h - 2.0,
            tx = lx + 14.0,
            ty = h + 7.0
        );
        lx += 16.0 + st.as_str().len() as f64 * 7.0 + 12.0;
    }
    s.push_str("</svg>");
    s
}
