//! Dates as Arabic readers write them, turned into the `YYYY`, `YYYY-MM`, `YYYY-MM-DD` forms the
//! filters read: Arabic-Indic digits (`٢٠١٨-٠٧`), and month names in each of the three
//! traditions of the Arab press — the Egyptian and Gulf names taken from English (يناير …
//! ديسمبر), the Syriac names of the Levant and Iraq (كانون الثاني … كانون الأول) and the French
//! ones of the Maghreb (جانفي … ديسمبر) — in "يونيو 2018", "16 تموز 2018", "2018 جوان".
//!
//! Names are compared after the analyzer's normalization, so hamza seats, alef forms and a final
//! ة or ى do not matter (أيار, ايار; يونيه, يونيو are both listed).

use crate::analysis::normalizer::normalize_word;

/// Each month's names, January first, as written (normalized when compared).
const MONTHS: [&[&str]; 12] = [
    &["يناير", "كانون الثاني", "جانفي"],
    &["فبراير", "شباط", "فيفري"],
    &["مارس", "آذار"],
    &["أبريل", "إبريل", "نيسان", "أفريل"],
    &["مايو", "أيار", "ماي"],
    &["يونيو", "يونيه", "حزيران", "جوان"],
    &["يوليو", "يوليه", "تموز", "جويلية", "جويليه"],
    &["أغسطس", "آب", "أوت"],
    &["سبتمبر", "أيلول"],
    &["أكتوبر", "تشرين الأول"],
    &["نوفمبر", "تشرين الثاني"],
    &["ديسمبر", "كانون الأول"],
];

/// `text` in the ISO form when it is a date written with Arabic digits or an Arabic month name
/// (a year always given); `None` when it is neither (the caller reads it as it is).
pub fn to_iso(text: &str) -> Option<String> {
    let ascii: String = text.trim().chars().map(ascii_digit).collect();
    if ascii
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/'))
    {
        return (ascii != text.trim()).then_some(ascii);
    }
    let words: Vec<String> = ascii
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '،' | '-' | '/'))
        .filter(|w| !w.is_empty())
        .map(|w| normalize_word(w).concat())
        .collect();
    let (month, rest) = find_month(&words)?;
    let numbers: Vec<&String> = rest.iter().collect();
    let number = |w: &String| -> Option<u32> {
        w.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| w.parse().ok())
            .flatten()
    };
    match numbers.as_slice() {
        // "يونيو 2018", "2018 يونيو"
        [year] if year.len() == 4 => Some(format!("{:04}-{month:02}", number(year)?)),
        // "16 يونيو 2018"
        [day, year] if year.len() == 4 && day.len() <= 2 => Some(format!(
            "{:04}-{month:02}-{:02}",
            number(year)?,
            number(day)?
        )),
        _ => None,
    }
}

/// The month named in `words` (its number, 1–12) and the other words in order. The longest
/// name wins (تشرين الأول before a lone word).
fn find_month(words: &[String]) -> Option<(u32, Vec<String>)> {
    let mut best: Option<(usize, usize, u32)> = None; // (start, length, month)
    for (index, names) in MONTHS.iter().enumerate() {
        for name in names.iter() {
            let name: Vec<String> = name
                .split(' ')
                .map(|w| normalize_word(w).concat())
                .collect();
            for start in 0..words.len() {
                if words[start..].starts_with(&name)
                    && best.is_none_or(|(_, length, _)| name.len() > length)
                {
                    best = Some((start, name.len(), index as u32 + 1));
                }
            }
        }
    }
    let (start, length, month) = best?;
    let mut rest = words[..start].to_vec();
    rest.extend_from_slice(&words[start + length..]);
    Some((month, rest))
}

/// Arabic-Indic and extended Arabic-Indic (Persian) digits as ASCII.
fn ascii_digit(c: char) -> char {
    match c {
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_digits_and_month_names_become_iso_dates() {
        for (text, iso) in [
            ("٢٠١٨-٠٧", "2018-07"),
            ("۲۰۱۸-۰۷-۱۶", "2018-07-16"),
            ("٢٠١٨", "2018"),
            ("يونيو 2018", "2018-06"),
            ("يونيه ٢٠١٨", "2018-06"),
            ("حزيران 2018", "2018-06"),
            ("جوان 2018", "2018-06"),
            ("2018 يونيو", "2018-06"),
            ("16 يوليو 2018", "2018-07-16"),
            ("16 تموز، 2018", "2018-07-16"),
            ("كانون الثاني 2019", "2019-01"),
            ("كانون الاول 2018", "2018-12"),
            ("تشرين الأول 2018", "2018-10"),
            ("تشرين الثاني 2018", "2018-11"),
            ("أيار 2018", "2018-05"),
            ("ايار 2018", "2018-05"),
            ("آب 2018", "2018-08"),
            ("اب 2018", "2018-08"),
            ("أوت 2018", "2018-08"),
            ("جانفي 2018", "2018-01"),
            ("فيفري 2018", "2018-02"),
            ("أفريل 2018", "2018-04"),
            ("جويلية 2018", "2018-07"),
            ("ماي 2018", "2018-05"),
            ("مايو 2018", "2018-05"),
            ("ابريل 2018", "2018-04"),
            ("ديسمبر 2018", "2018-12"),
        ] {
            assert_eq!(to_iso(text).as_deref(), Some(iso), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_whole_arabic_date_is_left_alone() {
        for text in [
            "2018-07",    // already ISO: read as it is
            "يونيو",      // no year
            "كانون 2018", // which كانون?
            "تشرين 2018",
            "يونيو 18", // a two-digit year
            "32 يونيو 2018 5",
            "قمة 2018",
            "",
        ] {
            assert_eq!(to_iso(text), None, "{text}");
        }
    }
}
