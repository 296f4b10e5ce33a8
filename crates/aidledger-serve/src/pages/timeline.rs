//! A commitment's timeline on a time axis: each dated stage is a dot at its date (so
//! the dots run in date order, whatever the order of the stages' life), labelled with
//! its name and date in lanes that never overlap; undated stages and the usual stages
//! never reported are listed under it.

use aidledger_core::Status;
use aidledger_ledger::Commitment;
use askama::Template;

use super::charts::{FONT, W};
use super::{Markup, PageError};

/// The stages of the usual life, named under the axis when not reported.
const LIFE: [Status; 6] = [
    Status::Requested,
    Status::Considering,
    Status::Pledged,
    Status::Approved,
    Status::Expedited,
    Status::Delivered,
];

const CHAR_W: f64 = FONT * 0.62;
const LEFT: f64 = 12.0;
const RIGHT: f64 = W - 12.0;
const AXIS_Y: f64 = 26.0;
const LANE_H: f64 = 2.0 * FONT + 10.0;

/// Days since 0000-03-01 of a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date (a year or month
/// alone stands for its first day).
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.trim().split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = match parts.next() {
        Some(m) => m.parse().ok().filter(|m| (1..=12).contains(m))?,
        None => 1,
    };
    let d: i64 = match parts.next() {
        Some(d) => d.parse().ok().filter(|d| (1..=31).contains(d))?,
        None => 1,
    };
    if parts.next().is_some() {
        return None;
    }
    // days from civil (proleptic Gregorian)
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe)
}

/// One dated stage on the axis.
pub struct Point {
    pub status: &'static str,
    pub date: String,
    pub x: f64,
    /// Where its label is (centre) and on which line.
    pub label_x: f64,
    pub name_y: f64,
    pub date_y: f64,
}

/// A tick of the axis (a year, or a month on short timelines), its label kept inside
/// the chart.
pub struct Tick {
    pub x: f64,
    pub label_x: f64,
    pub text: String,
}

fn tick(x: f64, text: String) -> Tick {
    let half = text.chars().count() as f64 * CHAR_W / 2.0 + 2.0;
    Tick {
        x: (x * 10.0).round() / 10.0,
        label_x: (x.clamp(half, W - half) * 10.0).round() / 10.0,
        text,
    }
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelineTpl {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    axis_y: f64,
    tick_y: f64,
    points: Vec<Point>,
    ticks: Vec<Tick>,
    undated: Vec<&'static str>,
    missing: Vec<&'static str>,
}

/// A dated stage: its status, date as reported and day number.
pub type Dated = (Status, String, i64);

/// The dated stages in date order (life order among equal dates), the undated ones,
/// and the usual stages never reported.
pub fn points(c: &Commitment) -> (Vec<Dated>, Vec<Status>, Vec<Status>) {
    let mut dated = Vec::new();
    let mut undated = Vec::new();
    for s in &c.stages {
        match s.date().and_then(|d| day_number(d).map(|n| (d, n))) {
            Some((d, n)) => dated.push((s.status, d.to_string(), n)),
            None => undated.push(s.status),
        }
    }
    let rank = |s: Status| Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
    dated.sort_by_key(|(s, _, n)| (*n, rank(*s)));
    let missing = LIFE
        .iter()
        .copied()
        .filter(|st| c.stage(*st).is_none())
        .collect();
    (dated, undated, missing)
}

/// The timeline of `c` as an SVG axis with the lists under it.
pub fn render(c: &Commitment) -> Result<Markup, PageError> {
    let (dated, undated, missing) = points(c);
    let (lo, hi) = match (dated.first(), dated.last()) {
        (Some(a), Some(z)) => (a.2, z.2),
        _ => (0, 0),
    };
    let x_of = |n: i64| -> f64 {
        if hi == lo {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + (n - lo) as f64 / (hi - lo) as f64 * (RIGHT - LEFT)
        }
    };
    // labels in lanes: a label goes to the first lane where it clears the one before
    let mut lane_ends: Vec<f64> = Vec::new();
    let mut pts = Vec::new();
    for (st, date, n) in &dated {
        let x = x_of(*n);
        let half = (st.as_str().len().max(date.len()) as f64 * CHAR_W) / 2.0 + 4.0;
        let cx = x.clamp(half, W - half);
        let lane = match lane_ends.iter().position(|end| *end <= cx - half) {
            Some(l) => l,
            None => {
                lane_ends.push(f64::MIN);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = cx + half;
        let top = AXIS_Y + 14.0 + lane as f64 * LANE_H;
        pts.push(Point {
            status: st.as_str(),
            date: date.clone(),
            x: (x * 10.0).round() / 10.0,
            label_x: (cx * 10.0).round() / 10.0,
            name_y: top + FONT,
            date_y: top + 2.0 * FONT + 3.0,
        });
    }
    // year ticks, or month ticks when the timeline spans less than two years
    let mut ticks = Vec::new();
    if hi > lo {
        let year = |n: i64| -> i64 {
            // inverse of day_number for the year only, by search
            let mut y = n / 366;
            while day_number(&format!("{}", y + 1)).is_some_and(|d| d <= n) {
                y += 1;
            }
            y
        };
        let (y0, y1) = (year(lo), year(hi));
        if y1 - y0 >= 2 {
            let step = (((y1 - y0) as f64 * 4.0 * CHAR_W + 8.0) / (RIGHT - LEFT) * 1.0)
                .ceil()
                .max(1.0) as i64;
            let mut y = y0 + 1;
            while y <= y1 {
                if let Some(n) = day_number(&y.to_string()) {
                    ticks.push(tick(x_of(n), y.to_string()));
                }
                y += step;
            }
        } else {
            let months: Vec<(i64, String)> = (y0..=y1)
                .flat_map(|y| (1..=12).map(move |m| format!("{y:04}-{m:02}")))
                .filter_map(|m| day_number(&m).map(|n| (n, m)))
                .filter(|(n, _)| *n > lo && *n <= hi)
                .collect();
            let room = (RIGHT - LEFT) / (7.0 * CHAR_W + 8.0);
            let step = ((months.len() as f64 / room).ceil() as usize).max(1);
            for (n, m) in months.into_iter().step_by(step) {
                ticks.push(tick(x_of(n), m));
            }
        }
    }
    let lanes = lane_ends.len().max(1) as f64;
    Markup::of(&TimelineTpl {
        w: W,
        h: AXIS_Y + 14.0 + lanes * LANE_H + 4.0,
        left: LEFT,
        right: RIGHT,
        axis_y: AXIS_Y,
        tick_y: AXIS_Y - 10.0,
        points: pts,
        ticks,
        undated: undated.iter().map(|s| s.as_str()).collect(),
        missing: missing.iter().map(|s| s.as_str()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(
            day_number("2022-03-01").unwrap() - day_number("2022-02-28").unwrap(),
            1
        );
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(
            day_number("2023").unwrap(),
            day_number("2023-01-01").unwrap()
        );
        assert_eq!(
            day_number("2023-01-01").unwrap() - day_number("2022-01-01").unwrap(),
            365
        );
        assert!(day_number("2022-13").is_none() && day_number("x").is_none());
        assert!(day_number("2022-01-01-01").is_none());
    }

    #[test]
    fn stages_are_placed_by_date_not_by_life_order() {
        // delivered before it was (re)pledged: life order says pledged first, the dates
        // say delivered first
        let c: Commitment = serde_json::from_value(serde_json::json!({
            "id": "x", "kind": "package", "donor": "USA", "recipient": "UKR",
            "subject": {"kind": "generic", "name": "ammunition"}, "item": "ammunition",
            "stages": [
                {"status": "pledged", "dates": [{"value": "2023-03-02", "doc_ids": ["a"]}], "quantities": [], "values": [], "asserted_by": [], "sources": [], "evidence": []},
                {"status": "delivered", "dates": [{"value": "2022-07", "doc_ids": ["b"]}], "quantities": [], "values": [], "asserted_by": [], "sources": [], "evidence": []},
                {"status": "suspended", "dates": [], "quantities": [], "values": [], "asserted_by": [], "sources": [], "evidence": []}
            ],
            "status": "delivered", "first_date": "2022-07", "last_date": "2023-03-02",
            "sources": [], "doc_ids": ["a", "b"]
        }))
        .unwrap();
        let (dated, undated, missing) = points(&c);
        let order: Vec<&str> = dated.iter().map(|(s, _, _)| s.as_str()).collect();
        assert_eq!(order, ["delivered", "pledged"]);
        assert_eq!(undated, [Status::Suspended]);
        assert!(missing.contains(&Status::Requested) && !missing.contains(&Status::Pledged));
        let svg = render(&c).unwrap();
        let s = svg.as_str();
        let x_of = |status: &str| -> f64 {
            let at = s.find(&format!("class=\"dot fill-{status}\"")).unwrap();
            let cx = s[..at].rfind("cx=\"").unwrap() + 4;
            s[cx..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(x_of("delivered") < x_of("pledged"), "{s}");
        assert!(x_of("delivered") <= LEFT + 0.1 && x_of("pledged") >= RIGHT - 0.1);
        // month ticks on an eight-month timeline
        assert!(
            s.matches("class=\"val\" text-anchor=\"middle\"").count() >= 2,
            "{s}"
        );
        assert!(s.contains("suspended") && s.contains("not reported"), "{s}");
    }
}
