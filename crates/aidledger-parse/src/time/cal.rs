//! Calendar arithmetic on `jiff::civil::Date` that never panics (every operation is checked),
//! plus the computed calendars holidays need: Gregorian and Julian Easter, the Hebrew
//! calendar (arithmetic rules) and the tabular Islamic calendar.

use crate::{Grain, TimeValue};
use jiff::civil::Date;
use jiff::Span;

pub(crate) fn ymd(y: i64, m: i64, d: i64) -> Option<Date> {
    if !(-9999..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Date::new(y as i16, m as i8, d as i8).ok()
}

pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    if n.abs() > 7_000_000 {
        return None;
    }
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

pub(crate) fn add_months(d: Date, n: i64) -> Option<Date> {
    if n.abs() > 230_000 {
        return None;
    }
    d.checked_add(Span::new().try_months(n).ok()?).ok()
}

/// Weekday, Monday = 0.
pub(crate) fn wd(d: Date) -> i64 {
    d.weekday().to_monday_zero_offset() as i64
}

pub(crate) fn monday(d: Date) -> Option<Date> {
    add_days(d, -wd(d))
}

/// Days from `a` to `b`.
#[cfg(test)]
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    b.duration_since(a).as_secs() / 86_400
}

pub(crate) fn y(d: Date) -> i64 {
    d.year() as i64
}
pub(crate) fn m(d: Date) -> i64 {
    d.month() as i64
}

/// Start of the cycle (day, week, month, quarter, year) containing `d`.
pub(crate) fn cycle_start(d: Date, g: Grain) -> Option<Date> {
    match g {
        Grain::Day => Some(d),
        Grain::Week => monday(d),
        Grain::Month => Some(d.first_of_month()),
        Grain::Quarter => ymd(y(d), (m(d) - 1) / 3 * 3 + 1, 1),
        Grain::Year => Some(d.first_of_year()),
    }
}

/// Moves a date by `n` cycles of grain `g`.
pub(crate) fn cycle_add(d: Date, g: Grain, n: i64) -> Option<Date> {
    match g {
        Grain::Day => add_days(d, n),
        Grain::Week => add_days(d, n.checked_mul(7)?),
        Grain::Month => add_months(d, n),
        Grain::Quarter => add_months(d, n.checked_mul(3)?),
        Grain::Year => add_months(d, n.checked_mul(12)?),
    }
}

/// The cycle `n` cycles away from the one containing `d`, as an instant of grain `g`.
pub(crate) fn cycle(d: Date, g: Grain, n: i64) -> Option<TimeValue> {
    let s = cycle_add(cycle_start(d, g)?, g, n)?;
    Some(TimeValue {
        start: s,
        end: None,
        grain: g,
    })
}

/// Exclusive end of a time value (its explicit end, or start + one unit of its grain).
pub(crate) fn end_of(t: &TimeValue) -> Option<Date> {
    match t.end {
        Some(e) => Some(e),
        None => cycle_add(t.start, t.grain, 1),
    }
}

pub(crate) fn tv(start: Date, grain: Grain) -> TimeValue {
    TimeValue {
        start,
        end: None,
        grain,
    }
}
pub(crate) fn span(start: Date, end: Date, grain: Grain) -> Option<TimeValue> {
    (end > start).then_some(TimeValue {
        start,
        end: Some(end),
        grain,
    })
}

/// `n`-th weekday `w` (Monday = 0) within [start, end): n > 0 counts from the start, n < 0
/// from the end.
pub(crate) fn nth_weekday_in(start: Date, end: Date, w: i64, n: i64) -> Option<Date> {
    let d = if n > 0 {
        let first = add_days(start, (w - wd(start)).rem_euclid(7))?;
        add_days(first, 7 * (n - 1))?
    } else if n < 0 {
        let last_day = add_days(end, -1)?;
        let last = add_days(last_day, -((wd(last_day) - w).rem_euclid(7)))?;
        add_days(last, 7 * (n + 1))?
    } else {
        return None;
    };
    (d >= start && d < end).then_some(d)
}

/// Monday of the `n`-th full week (Monday to Sunday) inside [start, end).
pub(crate) fn nth_full_week_in(start: Date, end: Date, n: i64) -> Option<Date> {
    let d = if n > 0 {
        let first = add_days(start, (7 - wd(start)) % 7)?;
        add_days(first, 7 * (n - 1))?
    } else if n < 0 {
        let last_day = add_days(end, -1)?;
        let sunday = add_days(last_day, -((wd(last_day) - 6).rem_euclid(7)))?;
        add_days(sunday, -6 + 7 * (n + 1))?
    } else {
        return None;
    };
    (d >= start && add_days(d, 7)? <= end).then_some(d)
}

/// Easter Sunday (Gregorian computus).
pub(crate) fn easter(year: i64) -> Option<Date> {
    if year < 1583 {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month, day)
}

/// Orthodox Easter Sunday (Julian computus), as a Gregorian date.
pub(crate) fn orthodox_easter(year: i64) -> Option<Date> {
    if !(1583..=9999).contains(&year) {
        return None;
    }
    let a = year % 4;
    let b = year % 7;
    let c = year % 19;
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian_offset = year / 100 - year / 400 - 2;
    add_days(ymd(year, month, day)?, julian_offset)
}

// ---- Hebrew calendar (fixed arithmetic rules: molad and postponements) ----

fn hebrew_leap(hy: i64) -> bool {
    (7 * hy + 1).rem_euclid(19) < 7
}

/// Days from the Hebrew epoch to Rosh Hashanah of year `hy`, with the dehiyyot.
fn hebrew_elapsed_days(hy: i64) -> i64 {
    let months = (235 * hy - 234).div_euclid(19);
    let parts = 12084 + 13753 * months;
    let mut day = months * 29 + parts.div_euclid(25920);
    if (3 * (day + 1)).rem_euclid(7) < 3 {
        day += 1;
    }
    day
}

fn hebrew_year_delay(hy: i64) -> i64 {
    let ny0 = hebrew_elapsed_days(hy - 1);
    let ny1 = hebrew_elapsed_days(hy);
    let ny2 = hebrew_elapsed_days(hy + 1);
    if ny2 - ny1 == 356 {
        2
    } else if ny1 - ny0 == 382 {
        1
    } else {
        0
    }
}

fn hebrew_new_year_rd(hy: i64) -> i64 {
    // R.D. of the Hebrew epoch is -1373427 (Tishri 1, AM 1).
    -1_373_427 + hebrew_elapsed_days(hy) + hebrew_year_delay(hy)
}

fn rd_to_date(rd: i64) -> Option<Date> {
    // R.D. 1 = 0001-01-01 (proleptic Gregorian)
    add_days(ymd(1, 1, 1)?, rd - 1)
}

/// Gregorian date of Hebrew date (year `hy`, month `hm`, day `hd`), months numbered from
/// Nisan = 1 ... Adar = 12, Adar II = 13; the year starts in Tishri (7).
pub(crate) fn hebrew_to_date(hy: i64, hm: i64, hd: i64) -> Option<Date> {
    if !(3800..=9000).contains(&hy) {
        return None;
    }
    let days_in_year = |y: i64| hebrew_new_year_rd(y + 1) - hebrew_new_year_rd(y);
    let last_month = |y: i64| if hebrew_leap(y) { 13 } else { 12 };
    let month_len = |y: i64, mo: i64| -> i64 {
        let len = days_in_year(y);
        match mo {
            2 | 4 | 6 | 10 | 13 => 29,
            12 if !hebrew_leap(y) => 29,
            8 if len % 10 != 5 => 29,
            9 if len % 10 == 3 => 29,
            _ => 30,
        }
    };
    let mut rd = hebrew_new_year_rd(hy) + hd - 1;
    if hm < 7 {
        for mo in 7..=last_month(hy) {
            rd += month_len(hy, mo);
        }
        for mo in 1..hm {
            rd += month_len(hy, mo);
        }
    } else {
        for mo in 7..hm {
            rd += month_len(hy, mo);
        }
    }
    rd_to_date(rd)
}

/// Hebrew year whose Tishri falls in the autumn of Gregorian year `gy`.
pub(crate) fn hebrew_year_starting_in(gy: i64) -> i64 {
    gy + 3761
}

pub(crate) fn hebrew_is_leap(hy: i64) -> bool {
    hebrew_leap(hy)
}

// ---- Tabular Islamic calendar ----

/// Gregorian date of Islamic (tabular, civil epoch) date.
pub(crate) fn islamic_to_date(iy: i64, im: i64, id: i64) -> Option<Date> {
    if !(1..=9000).contains(&iy) {
        return None;
    }
    let rd_epoch = 227_015; // 622-07-16 Julian = R.D. 227015
    let rd =
        rd_epoch - 1 + (iy - 1) * 354 + (3 + 11 * iy).div_euclid(30) + 29 * (im - 1) + im / 2 + id;
    rd_to_date(rd)
}

/// Islamic years overlapping Gregorian year `gy`.
pub(crate) fn islamic_years_in(gy: i64) -> [i64; 3] {
    let approx = ((gy - 622) as f64 * 33.0 / 32.0) as i64;
    [approx - 1, approx, approx + 1]
}

// ---- Chinese New Year (astronomical new moons, Meeus' algorithm) ----

/// Julian Ephemeris Day of the `k`-th new moon after 2000-01-06 (Meeus, ch. 49, main terms).
fn new_moon_jde(k: f64) -> f64 {
    let t = k / 1236.85;
    let rad = |d: f64| d.to_radians();
    let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t - 0.00000015 * t * t * t;
    let e = 1.0 - 0.002516 * t - 0.0000074 * t * t;
    let m = rad(2.5534 + 29.1053567 * k - 0.0000014 * t * t);
    let mp = rad(201.5643 + 385.81693528 * k + 0.0107582 * t * t + 0.00001238 * t * t * t);
    let f = rad(160.7108 + 390.67050284 * k - 0.0016118 * t * t - 0.00000227 * t * t * t);
    let om = rad(124.7746 - 1.56375588 * k + 0.0020672 * t * t);
    let terms = [
        (-0.40720, mp.sin()),
        (0.17241 * e, m.sin()),
        (0.01608, (2.0 * mp).sin()),
        (0.01039, (2.0 * f).sin()),
        (0.00739 * e, (mp - m).sin()),
        (-0.00514 * e, (mp + m).sin()),
        (0.00208 * e * e, (2.0 * m).sin()),
        (-0.00111, (mp - 2.0 * f).sin()),
        (-0.00057, (mp + 2.0 * f).sin()),
        (0.00056 * e, (2.0 * mp + m).sin()),
        (-0.00042, (3.0 * mp).sin()),
        (0.00042 * e, (m + 2.0 * f).sin()),
        (0.00038 * e, (m - 2.0 * f).sin()),
        (-0.00024 * e, (2.0 * mp - m).sin()),
        (-0.00017, om.sin()),
    ];
    jde + terms.iter().map(|(a, b)| a * b).sum::<f64>()
}

/// Civil date in China (UTC+8) of a Julian Day.
fn jd_to_china_date(jd: f64) -> Option<Date> {
    let days = (jd + 0.5 + 8.0 / 24.0).floor() as i64; // Julian Day Number
    add_days(ymd(2000, 1, 1)?, days - 2_451_545)
}

/// Date of the December solstice of `y` in China (Meeus' mean formula, minutes off).
fn december_solstice(y: i64) -> Option<Date> {
    let yy = (y as f64 - 2000.0) / 1000.0;
    let jde = 2451900.05952 + 365242.74049 * yy - 0.06223 * yy * yy - 0.00823 * yy.powi(3);
    jd_to_china_date(jde)
}

/// Chinese New Year of Gregorian year `y`: the second new moon after the one that starts
/// the month containing the previous December solstice (leap months ignored).
pub(crate) fn chinese_new_year(y: i64) -> Option<Date> {
    if !(1000..=3000).contains(&y) {
        return None;
    }
    let sol = december_solstice(y - 1)?;
    let k0 = ((y as f64 - 1.0 - 2000.0) * 12.3685 + 11.0).floor();
    // new moons around the solstice, in China dates
    let moons: Vec<Date> = (-2..6)
        .filter_map(|i| jd_to_china_date(new_moon_jde(k0 + i as f64)))
        .collect();
    let m11 = moons.iter().rposition(|&d| d <= sol)?;
    moons.get(m11 + 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easters() {
        assert_eq!(easter(2013), ymd(2013, 3, 31));
        assert_eq!(easter(2010), ymd(2010, 4, 4));
        assert_eq!(orthodox_easter(2018), ymd(2018, 4, 8));
        assert_eq!(orthodox_easter(2020), ymd(2020, 4, 19));
    }

    #[test]
    fn hebrew() {
        // Rosh Hashanah 5779 = 2018-09-10, Passover (15 Nisan 5778) = 2018-03-31
        assert_eq!(hebrew_to_date(5779, 7, 1), ymd(2018, 9, 10));
        assert_eq!(hebrew_to_date(5778, 1, 15), ymd(2018, 3, 31));
        assert_eq!(hebrew_to_date(5779, 9, 25), ymd(2018, 12, 3));
    }

    #[test]
    fn chinese_new_years() {
        assert_eq!(chinese_new_year(2013), ymd(2013, 2, 10));
        assert_eq!(chinese_new_year(2014), ymd(2014, 1, 31));
        assert_eq!(chinese_new_year(2018), ymd(2018, 2, 16));
        assert_eq!(chinese_new_year(2023), ymd(2023, 1, 22));
        assert_eq!(chinese_new_year(2024), ymd(2024, 2, 10));
    }

    #[test]
    fn islamic() {
        // 1 Shawwal 1439 was 2018-06-15 (tabular: 2018-06-15 +-1)
        let d = islamic_to_date(1439, 10, 1).unwrap();
        assert!(days_between(ymd(2018, 6, 15).unwrap(), d).abs() <= 1);
    }

    #[test]
    fn weeks_and_nth() {
        let oct = ymd(2014, 10, 1).unwrap();
        let nov = ymd(2014, 11, 1).unwrap();
        assert_eq!(nth_full_week_in(oct, nov, 1), ymd(2014, 10, 6));
        let sep = ymd(2014, 9, 1).unwrap();
        assert_eq!(nth_full_week_in(sep, oct, -1), ymd(2014, 9, 22));
        assert_eq!(nth_weekday_in(oct, nov, 1, 1), ymd(2014, 10, 7));
        assert_eq!(
            nth_weekday_in(ymd(2013, 3, 1).unwrap(), ymd(2013, 4, 1).unwrap(), 0, -1),
            ymd(2013, 3, 25)
        );
        assert_eq!(
            cycle(ymd(2013, 2, 12).unwrap(), Grain::Week, -1)
                .unwrap()
                .start,
            ymd(2013, 2, 4).unwrap()
        );
    }
}
