//! Named holidays: fixed dates, n-th weekdays, Easter-based (Western and Orthodox), Hebrew
//! calendar (given as the evening they start, as Duckling does) and Islamic calendar
//! (tabular approximation, may be a day off the observed date).
//!
//! Forms: "Noël", "Noël 2021", "la Toussaint", "Thanksgiving", "next Halloween",
//! "last Easter", "MLK day of last year", "Thanksgiving in 3 years", "Easter 2010".

use super::cal::{
    add_days, add_months, cycle_add, easter, hebrew_is_leap, hebrew_to_date,
    hebrew_year_starting_in, islamic_to_date, islamic_years_in, nth_weekday_in, orthodox_easter,
    span, tv, wd, ymd,
};
use super::lexicon::{count, unit, year4};
use super::Ctx;
use crate::lex::P;
use crate::{Grain, Lang, TimeValue};
use jiff::civil::Date;

#[derive(Debug, Clone, Copy)]
enum H {
    Fixed(i64, i64),
    /// month, weekday, n-th (negative from the end)
    NthWd(i64, i64, i64),
    /// day after the 4th Thursday of November
    BlackFriday,
    /// October 16, moved to the nearest weekday
    BossDay,
    /// April 27, April 26 when the 27th is a Sunday
    KingsDay,
    Easter(i64),
    EasterSpan(i64, i64),
    Orthodox(i64),
    OrthodoxSpan(i64, i64),
    /// Hebrew month, day, extra days after the day (0: one evening)
    Hebrew(i64, i64, i64),
    /// Purim-like: Adar (Adar II in leap years), day
    Adar(i64),
    YomHaShoah,
    YomHaAtzmaut,
    TishaBAv,
    /// Islamic month, day
    Islamic(i64, i64),
    Ramadan,
    /// last Friday of Ramadan
    JumuatulWida,
    ChineseNewYear,
}

/// Holidays in Gregorian year `y`: (start, exclusive end for multi-day ones).
fn in_year(h: H, y: i64) -> Option<(Date, Option<Date>)> {
    let one = |d: Date| Some((d, None));
    match h {
        H::Fixed(m, d) => one(ymd(y, m, d)?),
        H::NthWd(m, w, n) => {
            let s = ymd(y, m, 1)?;
            one(nth_weekday_in(s, add_months(s, 1)?, w, n)?)
        }
        H::BlackFriday => {
            let s = ymd(y, 11, 1)?;
            one(add_days(nth_weekday_in(s, ymd(y, 12, 1)?, 3, 4)?, 1)?)
        }
        H::BossDay => {
            let d = ymd(y, 10, 16)?;
            one(match wd(d) {
                5 => add_days(d, -1)?,
                6 => add_days(d, 1)?,
                _ => d,
            })
        }
        H::KingsDay => {
            let d = ymd(y, 4, 27)?;
            one(if wd(d) == 6 { add_days(d, -1)? } else { d })
        }
        H::Easter(k) => one(add_days(easter(y)?, k)?),
        H::EasterSpan(a, b) => Some((add_days(easter(y)?, a)?, Some(add_days(easter(y)?, b)?))),
        H::Orthodox(k) => one(add_days(orthodox_easter(y)?, k)?),
        H::OrthodoxSpan(a, b) => Some((
            add_days(orthodox_easter(y)?, a)?,
            Some(add_days(orthodox_easter(y)?, b)?),
        )),
        H::Hebrew(m, d, extra) => {
            // Tishri..Kislev fall in the autumn of `y`, Tevet..Elul in the following months
            let hy = if (7..=9).contains(&m) {
                hebrew_year_starting_in(y)
            } else {
                hebrew_year_starting_in(y) - 1
            };
            let day = hebrew_to_date(hy, m, d)?;
            let eve = add_days(day, -1)?;
            Some((
                eve,
                if extra > 0 {
                    Some(add_days(day, extra)?)
                } else {
                    None
                },
            ))
        }
        H::Adar(d) => {
            let hy = hebrew_year_starting_in(y) - 1;
            let m = if hebrew_is_leap(hy) { 13 } else { 12 };
            one(add_days(hebrew_to_date(hy, m, d)?, -1)?)
        }
        H::YomHaShoah => {
            let hy = hebrew_year_starting_in(y) - 1;
            let d = hebrew_to_date(hy, 1, 27)?;
            let d = match wd(d) {
                4 => add_days(d, -1)?,
                6 => add_days(d, 1)?,
                _ => d,
            };
            one(add_days(d, -1)?)
        }
        H::YomHaAtzmaut => {
            let hy = hebrew_year_starting_in(y) - 1;
            let d = hebrew_to_date(hy, 2, 5)?;
            let d = match wd(d) {
                4 => add_days(d, -1)?,
                5 => add_days(d, -2)?,
                0 => add_days(d, 1)?,
                _ => d,
            };
            one(add_days(d, -1)?)
        }
        H::TishaBAv => {
            let hy = hebrew_year_starting_in(y) - 1;
            let d = hebrew_to_date(hy, 5, 9)?;
            let d = if wd(d) == 5 { add_days(d, 1)? } else { d };
            one(add_days(d, -1)?)
        }
        H::Islamic(m, d) => islamic_years_in(y)
            .into_iter()
            .filter_map(|iy| islamic_to_date(iy, m, d))
            .find(|x| x.year() as i64 == y)
            .map(|x| (x, None)),
        H::Ramadan => islamic_years_in(y).into_iter().find_map(|iy| {
            let s = islamic_to_date(iy, 9, 1)?;
            (s.year() as i64 == y).then_some((s, Some(islamic_to_date(iy, 10, 1)?)))
        }),
        H::ChineseNewYear => one(super::cal::chinese_new_year(y)?),
        H::JumuatulWida => islamic_years_in(y).into_iter().find_map(|iy| {
            let s = islamic_to_date(iy, 9, 1)?;
            let e = islamic_to_date(iy, 10, 1)?;
            let d = nth_weekday_in(s, e, 4, -1)?;
            (d.year() as i64 == y).then_some((d, None))
        }),
    }
}

/// Names that are ordinary words too ("lent", "ascension") need a year or a modifier
/// outside whole phrases.
struct Holiday {
    names: &'static [&'static str],
    rule: H,
    ambiguous: bool,
}

const fn hd(names: &'static [&'static str], rule: H) -> Holiday {
    Holiday {
        names,
        rule,
        ambiguous: false,
    }
}
const fn amb(names: &'static [&'static str], rule: H) -> Holiday {
    Holiday {
        names,
        rule,
        ambiguous: true,
    }
}

const FR: &[Holiday] = &[
    hd(
        &[
            "noel",
            "jour de noel",
            "la noel",
            "le jour de noel",
            "fete de noel",
        ],
        H::Fixed(12, 25),
    ),
    hd(
        &["reveillon de noel", "veille de noel", "la veille de noel"],
        H::Fixed(12, 24),
    ),
    hd(
        &[
            "saint-sylvestre",
            "la saint-sylvestre",
            "reveillon du nouvel an",
        ],
        H::Fixed(12, 31),
    ),
    hd(
        &[
            "jour de l'an",
            "le jour de l'an",
            "nouvel an",
            "le nouvel an",
        ],
        H::Fixed(1, 1),
    ),
    hd(
        &[
            "la toussaint",
            "toussaint",
            "le jour de la toussaint",
            "la journee de la toussaint",
            "la fete de la toussaint",
        ],
        H::Fixed(11, 1),
    ),
    hd(&["le jour des morts", "jour des morts"], H::Fixed(11, 1)),
    hd(&["fete du travail", "la fete du travail"], H::Fixed(5, 1)),
    hd(&["fete nationale", "la fete nationale"], H::Fixed(7, 14)),
    hd(
        &["armistice", "l'armistice", "le jour de l'armistice"],
        H::Fixed(11, 11),
    ),
    hd(&["saint-valentin", "la saint-valentin"], H::Fixed(2, 14)),
    hd(&["halloween"], H::Fixed(10, 31)),
    hd(&["l'assomption", "assomption"], H::Fixed(8, 15)),
    hd(&["l'epiphanie", "epiphanie"], H::Fixed(1, 6)),
    hd(
        &["paques", "le dimanche de paques", "dimanche de paques"],
        H::Easter(0),
    ),
    hd(&["lundi de paques", "le lundi de paques"], H::Easter(1)),
    hd(&["vendredi saint", "le vendredi saint"], H::Easter(-2)),
    amb(
        &[
            "l'ascension",
            "ascension",
            "jeudi de l'ascension",
            "le jeudi de l'ascension",
        ],
        H::Easter(39),
    ),
    hd(
        &["la pentecote", "pentecote", "dimanche de pentecote"],
        H::Easter(49),
    ),
    hd(
        &["lundi de pentecote", "le lundi de pentecote"],
        H::Easter(50),
    ),
    hd(&["mardi gras", "le mardi gras"], H::Easter(-47)),
    hd(
        &["mercredi des cendres", "le mercredi des cendres"],
        H::Easter(-46),
    ),
    amb(&["careme", "le careme"], H::EasterSpan(-46, 0)),
    hd(&["la fete des meres", "fete des meres"], H::NthWd(5, 6, -1)),
    hd(&["thanksgiving"], H::NthWd(11, 3, 4)),
    hd(&["hanoucca", "hanouka", "hanoukka"], H::Hebrew(9, 25, 7)),
    hd(&["yom kippour", "le yom kippour"], H::Hebrew(7, 10, 0)),
    hd(
        &["roch hachana", "rosh hashana", "roch hachanah"],
        H::Hebrew(7, 1, 2),
    ),
    hd(
        &[
            "l'aid el-fitr",
            "aid el-fitr",
            "aid al-fitr",
            "l'aid al-fitr",
        ],
        H::Islamic(10, 1),
    ),
    hd(
        &[
            "l'aid el-kebir",
            "aid el-kebir",
            "aid al-adha",
            "l'aid al-adha",
            "aid el-adha",
        ],
        H::Islamic(12, 10),
    ),
    hd(&["le ramadan", "ramadan", "le ramadhan"], H::Ramadan),
    hd(
        &[
            "le nouvel an chinois",
            "nouvel an chinois",
            "nouvel an lunaire",
        ],
        H::ChineseNewYear,
    ),
];

const EN: &[Holiday] = &[
    hd(
        &["christmas", "xmas", "christmas day", "x-mas"],
        H::Fixed(12, 25),
    ),
    hd(&["christmas eve", "xmas eve"], H::Fixed(12, 24)),
    hd(
        &["new year's eve", "new years eve", "new year eve"],
        H::Fixed(12, 31),
    ),
    hd(
        &[
            "new year's day",
            "new years day",
            "new year day",
            "new year's",
        ],
        H::Fixed(1, 1),
    ),
    hd(
        &[
            "valentine's day",
            "valentine day",
            "valentines day",
            "valentine's",
        ],
        H::Fixed(2, 14),
    ),
    hd(&["halloween"], H::Fixed(10, 31)),
    hd(
        &[
            "st patrick's day",
            "st. patrick's day",
            "saint patrick's day",
            "st paddy's day",
            "saint paddy's day",
            "saint patricks day",
            "st patricks day",
            "st. paddy's day",
        ],
        H::Fixed(3, 17),
    ),
    hd(&["independence day", "fourth of july"], H::Fixed(7, 4)),
    hd(
        &[
            "veterans day",
            "veteran's day",
            "armistice day",
            "remembrance day",
        ],
        H::Fixed(11, 11),
    ),
    hd(&["world vegan day"], H::Fixed(11, 1)),
    hd(&["earth day"], H::Fixed(4, 22)),
    hd(
        &["all saints day", "all saints' day", "all saint's day"],
        H::Fixed(11, 1),
    ),
    hd(&["thanksgiving", "thanksgiving day"], H::NthWd(11, 3, 4)),
    hd(&["black friday"], H::BlackFriday),
    hd(
        &[
            "mlk day",
            "mlk jr. day",
            "mlk jr day",
            "martin luther king day",
            "martin luther king's day",
            "martin luther kings day",
            "martin luther king jr. day",
            "martin luther king jr day",
            "civil rights day",
        ],
        H::NthWd(1, 0, 3),
    ),
    hd(
        &[
            "presidents day",
            "presidents' day",
            "president's day",
            "washington's birthday",
        ],
        H::NthWd(2, 0, 3),
    ),
    hd(&["memorial day"], H::NthWd(5, 0, -1)),
    hd(&["labor day", "labour day"], H::NthWd(9, 0, 1)),
    hd(&["columbus day"], H::NthWd(10, 0, 2)),
    hd(
        &["mother's day", "mothers day", "mother day"],
        H::NthWd(5, 6, 2),
    ),
    hd(
        &["father's day", "fathers day", "father day"],
        H::NthWd(6, 6, 3),
    ),
    hd(
        &[
            "boss's day",
            "boss day",
            "bosses day",
            "boss's",
            "national boss day",
        ],
        H::BossDay,
    ),
    hd(&["king's day", "kings day", "koningsdag"], H::KingsDay),
    hd(&["easter", "easter sunday"], H::Easter(0)),
    hd(&["easter monday", "easter mon"], H::Easter(1)),
    hd(
        &["good friday", "great friday", "holy friday"],
        H::Easter(-2),
    ),
    hd(
        &["holy saturday", "easter saturday", "black saturday"],
        H::Easter(-1),
    ),
    hd(
        &[
            "maundy thursday",
            "covenant thursday",
            "covenant thu",
            "thu of mysteries",
            "thursday of mysteries",
            "holy thursday",
        ],
        H::Easter(-3),
    ),
    hd(&["palm sunday", "branch sunday"], H::Easter(-7)),
    hd(&["ash wednesday"], H::Easter(-46)),
    hd(
        &["shrove tuesday", "pancake day", "mardi gras"],
        H::Easter(-47),
    ),
    hd(
        &[
            "ascension day",
            "ascension thursday",
            "feast of the ascension",
        ],
        H::Easter(39),
    ),
    hd(
        &[
            "pentecost",
            "whit sunday",
            "whitsunday",
            "white sunday",
            "whitsun",
        ],
        H::Easter(49),
    ),
    hd(
        &[
            "whit monday",
            "monday of the holy spirit",
            "pentecost monday",
        ],
        H::Easter(50),
    ),
    hd(&["trinity sunday"], H::Easter(56)),
    hd(&["corpus christi"], H::Easter(60)),
    amb(&["lent"], H::EasterSpan(-46, 0)),
    hd(
        &["orthodox easter", "orthodox easter sunday", "pascha"],
        H::Orthodox(0),
    ),
    hd(
        &["orthodox good friday", "orthodox great friday"],
        H::Orthodox(-2),
    ),
    hd(
        &[
            "clean monday",
            "orthodox shrove monday",
            "ash monday",
            "pure monday",
        ],
        H::Orthodox(-48),
    ),
    hd(&["lazarus saturday"], H::Orthodox(-8)),
    hd(&["great fast", "great lent"], H::OrthodoxSpan(-48, -8)),
    hd(
        &[
            "rosh hashanah",
            "rosh hashana",
            "rosh hashanna",
            "rosh ha-shanah",
        ],
        H::Hebrew(7, 1, 2),
    ),
    hd(&["yom kippur"], H::Hebrew(7, 10, 0)),
    hd(
        &[
            "sukkot",
            "succos",
            "sukkos",
            "feast of the ingathering",
            "feast of tabernacles",
            "feast of booths",
        ],
        H::Hebrew(7, 15, 8),
    ),
    hd(&["shemini atzeret"], H::Hebrew(7, 22, 0)),
    hd(&["simchat torah", "simhat torah"], H::Hebrew(7, 23, 0)),
    hd(
        &[
            "chanukah",
            "hanukkah",
            "hanukah",
            "hannukkah",
            "chanukkah",
            "hanukka",
        ],
        H::Hebrew(9, 25, 7),
    ),
    hd(
        &["tu bishvat", "tu b'shvat", "tu bshvat"],
        H::Hebrew(11, 15, 0),
    ),
    hd(&["purim"], H::Adar(14)),
    hd(&["shushan purim"], H::Adar(15)),
    hd(&["passover", "pesach"], H::Hebrew(1, 15, 8)),
    hd(
        &[
            "yom hashoah",
            "yom ha'shoah",
            "holocaust day",
            "holocaust remembrance day",
        ],
        H::YomHaShoah,
    ),
    hd(&["yom haatzmaut", "yom ha'atzmaut"], H::YomHaAtzmaut),
    hd(
        &["lag b'omer", "lag baomer", "lag ba'omer"],
        H::Hebrew(2, 18, 0),
    ),
    hd(
        &["shavuot", "shavuos", "feast of weeks"],
        H::Hebrew(3, 6, 2),
    ),
    hd(&["tisha b'av", "tisha bav", "tisha b'ab"], H::TishaBAv),
    hd(
        &["eid al-fitr", "eid al fitr", "eid ul-fitr", "id ul-fitr"],
        H::Islamic(10, 1),
    ),
    hd(
        &[
            "eid al-adha",
            "eid al adha",
            "id ul-adha",
            "eid ul-adha",
            "sacrifice feast",
            "bakr id",
            "bakrid",
            "feast of the sacrifice",
        ],
        H::Islamic(12, 10),
    ),
    hd(&["ramadan", "ramadhan"], H::Ramadan),
    hd(
        &[
            "chinese new year",
            "chinese new years",
            "chinese new year's day",
            "chinese lunar new year",
            "chinese lunar new year's day",
            "lunar new year",
            "spring festival",
        ],
        H::ChineseNewYear,
    ),
    hd(
        &[
            "laylat al kadr",
            "laylat al-kadr",
            "laylat al-qadr",
            "laylat al qadr",
            "night of measures",
            "night of power",
            "night of decree",
        ],
        H::Islamic(9, 27),
    ),
    hd(
        &[
            "jamat ul-vida",
            "jumu'atul-wida",
            "jumu'atul wida",
            "jamat ul vida",
        ],
        H::JumuatulWida,
    ),
    hd(
        &[
            "isra and mi'raj",
            "isra and miraj",
            "the prophet's ascension",
            "prophet's ascension",
            "the night journey",
            "night journey",
            "ascension to heaven",
        ],
        H::Islamic(7, 27),
    ),
    hd(
        &[
            "islamic new year",
            "amun jadid",
            "hijri new year",
            "muharram",
        ],
        H::Islamic(1, 1),
    ),
    hd(&["day of ashura", "ashura"], H::Islamic(1, 10)),
    hd(
        &[
            "mawlid al-nabawi",
            "mawlid",
            "mawlid an-nabi",
            "milad un nabi",
        ],
        H::Islamic(3, 12),
    ),
];

type NameIndex = Vec<Vec<(&'static str, &'static Holiday)>>;

/// Holiday names by first byte, French and English.
fn name_index() -> &'static (NameIndex, NameIndex) {
    static INDEX: std::sync::OnceLock<(NameIndex, NameIndex)> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let build = |table: &'static [Holiday]| {
            let mut v: NameIndex = vec![Vec::new(); 256];
            for h in table {
                for name in h.names {
                    v[name.as_bytes()[0] as usize].push((*name, h));
                }
            }
            v
        };
        (build(FR), build(EN))
    })
}

fn occurrence(h: H, y: i64) -> Option<TimeValue> {
    let (s, e) = in_year(h, y)?;
    Some(match e {
        Some(e) => span(s, e, Grain::Day)?,
        None => tv(s, Grain::Day),
    })
}

/// A year written in words ("two thousand ten").
fn year_words(p: &mut P, ctx: &Ctx) -> Option<i64> {
    let mut q = *p;
    let (v, _) = crate::number::word_int(&mut q, ctx.lang)?;
    if !(1000.0..=2999.0).contains(&v) {
        return None;
    }
    *p = q;
    Some(v as i64)
}

pub(crate) fn holiday_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let fr = ctx.lang == Lang::Fr;
    let modifier = if fr {
        p.map(&[("ce", 0), ("cette", 0), ("a", 0), ("pour", 0)])
    } else {
        p.map(&[
            ("this", 0),
            ("next", 1),
            ("last", -1),
            ("the", 0),
            ("upcoming", 1),
            ("coming", 1),
            ("previous", -1),
        ])
    };
    let first = *p.peek()?.text.as_bytes().first()?;
    let index = if fr { &name_index().0 } else { &name_index().1 };
    let mut best: Option<(usize, &Holiday)> = None;
    for &(name, h) in &index[first as usize] {
        let mut q = *p;
        if q.text(name) && best.is_none_or(|(e, _)| q.i > e) {
            best = Some((q.i, h));
        }
    }
    let (e, h) = best?;
    p.i = e;
    let mut dir = modifier.unwrap_or(0);
    // year, or a cycle / offset that selects the year
    let mut q = *p;
    let year = if fr {
        q.any(&["de l'annee", "de", "en"]);
        year4(&mut q)
    } else {
        q.text("in");
        year4(&mut q).or_else(|| year_words(&mut q, ctx))
    };
    if let Some(y) = year {
        *p = q;
        return occurrence(h.rule, y);
    }
    let mut target_year: Option<i64> = None;
    let mut q = *p;
    if fr {
        if let Some(k) = q.map(&[
            ("prochain", 1),
            ("prochaine", 1),
            ("dernier", -1),
            ("derniere", -1),
        ]) {
            dir = k;
            *p = q;
        } else if let Some(k) = q.map(&[
            ("de l'annee prochaine", 1),
            ("de l'annee derniere", -1),
            ("de cette annee", 0),
        ]) {
            target_year = Some(ctx.r()?.year() as i64 + k);
            *p = q;
        }
    } else if let Some(k) = q.map(&[
        ("of next year", 1),
        ("of last year", -1),
        ("of this year", 0),
    ]) {
        target_year = Some(ctx.r()?.year() as i64 + k);
        *p = q;
    } else {
        // "in 9 months", "in a year", "3 months ago", "9 months from now", "six years hence"
        let mut q = *p;
        let pre = q.text("in");
        if let (Some(n), Some(g)) = (count(&mut q, ctx), unit(&mut q, ctx)) {
            let sign = if pre {
                Some(1)
            } else {
                q.map(&[("ago", -1), ("from now", 1), ("hence", 1), ("later", 1)])
            };
            if let Some(sign) = sign {
                let d = cycle_add(ctx.r()?, g, sign * n)?;
                target_year = Some(d.year() as i64);
                *p = q;
            }
        }
    }
    if let Some(y) = target_year {
        return occurrence(h.rule, y);
    }
    if h.ambiguous && modifier.is_none() && !ctx.phrase {
        return None;
    }
    let r = ctx.r()?;
    let ry = r.year() as i64;
    let occ: Vec<TimeValue> = (ry - 2..=ry + 2)
        .filter_map(|y| occurrence(h.rule, y))
        .collect();
    match dir {
        1 => occ.into_iter().find(|t| t.start > r),
        -1 => occ.into_iter().rev().find(|t| t.start < r),
        _ => match ctx.prefer {
            crate::Prefer::Future => occ
                .into_iter()
                .find(|t| t.start >= r || t.end.is_some_and(|e| e > r)),
            crate::Prefer::Past => occ.into_iter().rev().find(|t| t.start <= r),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_holidays() {
        assert_eq!(
            occurrence(H::NthWd(11, 3, 4), 2013).unwrap().start,
            ymd(2013, 11, 28).unwrap()
        );
        assert_eq!(
            occurrence(H::BossDay, 2016).unwrap().start,
            ymd(2016, 10, 17).unwrap()
        );
        assert_eq!(
            occurrence(H::Hebrew(7, 1, 2), 2018).unwrap().start,
            ymd(2018, 9, 9).unwrap()
        );
        assert_eq!(
            occurrence(H::YomHaAtzmaut, 2018).unwrap().start,
            ymd(2018, 4, 18).unwrap()
        );
        assert_eq!(
            occurrence(H::Adar(14), 2013).unwrap().start,
            ymd(2013, 2, 23).unwrap()
        );
        assert_eq!(
            occurrence(H::OrthodoxSpan(-48, -8), 2018).unwrap().end,
            ymd(2018, 3, 31)
        );
    }
}
