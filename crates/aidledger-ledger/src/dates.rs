//! Dates as records write them: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
//!
//! Valid dates of these shapes compare as text, which is chronological with one
//! convention: a coarser date sorts before the finer dates it contains (`2022-10` <
//! `2022-10-15`). Two dates where one is a prefix of the other are "the same period".

/// Precision of a valid date: 3 for a day, 2 for a month, 1 for a year; 0 for anything
/// else (kept as reported, never used to order stages).
pub(crate) fn precision(date: &str) -> u8 {
    let parts: Vec<&str> = date.split('-').collect();
    let num = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    };
    if ok {
        parts.len() as u8
    } else {
        0
    }
}

/// The date, trimmed, when it is a valid `YYYY[-MM[-DD]]`.
pub(crate) fn valid(date: Option<&str>) -> Option<&str> {
    date.map(str::trim).filter(|d| precision(d) > 0)
}

/// Whether `a` is as late as `b` or later: later as text, or the same period (one a
/// prefix of the other).
pub(crate) fn same_or_later(a: &str, b: &str) -> bool {
    a >= b || b.starts_with(a)
}

/// Days since 1970-01-01 of a day-precision date (proleptic Gregorian).
pub(crate) fn day_number(date: &str) -> Option<i64> {
    if precision(date) != 3 {
        return None;
    }
    let y: i64 = date[..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `b - a` in days, when both are days.
pub(crate) fn days_between(a: &str, b: &str) -> Option<i64> {
    Some(day_number(b)? - day_number(a)?)
}

/// Whether one of two dates contains the other (`2022-10` and `2022-10-15`).
pub(crate) fn same_period(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(days_between("2022-02-25", "2022-03-02"), Some(5));
        assert_eq!(days_between("2022-12-30", "2023-01-02"), Some(3));
        assert_eq!(day_number("2022-10"), None);
        assert!(same_period("2022-10", "2022-10-15"));
        assert!(!same_period("2022-10", "2022-11-01"));
    }

    #[test]
    fn precisions() {
        assert_eq!(precision("2022-10-11"), 3);
        assert_eq!(precision("2022-10"), 2);
        assert_eq!(precision("2022"), 1);
        assert_eq!(precision("2022-13"), 0);
        assert_eq!(precision("fin août"), 0);
        assert_eq!(precision("22-10-11"), 0);
    }

    #[test]
    fn ordering() {
        assert!(same_or_later("2022-10", "2022-10-15"));
        assert!(same_or_later("2022-10-15", "2022-10"));
        assert!(!same_or_later("2022-09-30", "2022-10"));
        assert!(same_or_later("2023", "2022-12-31"));
    }
}
