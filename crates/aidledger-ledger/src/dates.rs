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

/// Year and month of a date with at least month precision.
pub(crate) fn month_of(date: &str) -> Option<(i32, u32)> {
    if precision(date) < 2 {
        return None;
    }
    Some((date[..4].parse().ok()?, date[5..7].parse().ok()?))
}

/// The month after (year, month).
pub(crate) fn next_month((y, m): (i32, u32)) -> (i32, u32) {
    if m == 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}

pub(crate) fn month_str((y, m): (i32, u32)) -> String {
    format!("{y:04}-{m:02}")
}

/// Whether `a` is as late as `b` or later: later as text, or the same period (one a
/// prefix of the other).
pub(crate) fn same_or_later(a: &str, b: &str) -> bool {
    a >= b || b.starts_with(a)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn months() {
        assert_eq!(month_of("2022-10-11"), Some((2022, 10)));
        assert_eq!(month_of("2022"), None);
        assert_eq!(next_month((2022, 12)), (2023, 1));
        assert_eq!(month_str((2023, 1)), "2023-01");
    }

    #[test]
    fn ordering() {
        assert!(same_or_later("2022-10", "2022-10-15"));
        assert!(same_or_later("2022-10-15", "2022-10"));
        assert!(!same_or_later("2022-09-30", "2022-10"));
        assert!(same_or_later("2023", "2022-12-31"));
    }
}
