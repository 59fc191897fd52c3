//! Dates as archives write them: RFC 2822 (`Tue, 20 Feb 2018 01:44:01 GMT`), ISO 8601 / RFC 3339,
//! `YYYY-MM-DD HH:MM:SS`, a bare `YYYY-MM-DD`, and a date embedded in a file name
//! (`BB-culture-37-20180220.txt`, `2021-06-16-geneva.txt`).

use time::format_description::well_known::{Iso8601, Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Parses a date written in metadata. Returns `None` when nothing sensible can be read.
pub fn parse_date(raw: &str) -> Option<OffsetDateTime> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(date) = OffsetDateTime::parse(text, &Rfc2822) {
        return Some(date);
    }
    // Some feeds write `GMT`/`UTC` where RFC 2822 wants `+0000`, or omit the weekday.
    for zone in [" GMT", " UTC", " UT", " Z"] {
        if let Some(stripped) = text.strip_suffix(zone) {
            if let Ok(date) = OffsetDateTime::parse(&format!("{stripped} +0000"), &Rfc2822) {
                return Some(date);
            }
        }
    }
    if let Ok(date) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(date);
    }
    if let Ok(date) = OffsetDateTime::parse(text, &Iso8601::DEFAULT) {
        return Some(date);
    }
    let plain = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(date) = PrimitiveDateTime::parse(text, plain) {
        return Some(date.assume_utc());
    }
    let t_separated = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if let Ok(date) = PrimitiveDateTime::parse(text.get(..19).unwrap_or(text), t_separated) {
        return Some(date.assume_utc());
    }
    find_date_in(text)
}

/// Finds a `YYYYMMDD` or `YYYY-MM-DD` (also `_` or `/` separated) calendar date in a name.
pub fn find_date_in(name: &str) -> Option<OffsetDateTime> {
    let bytes = name.as_bytes();
    let digits_at = |from: usize, len: usize| -> Option<u32> {
        let slice = bytes.get(from..from + len)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(slice).ok()?.parse().ok()
    };
    let boundary = |at: usize| at == 0 || !bytes[at - 1].is_ascii_digit();
    for start in 0..bytes.len() {
        if !boundary(start) {
            continue;
        }
        let Some(year) = digits_at(start, 4) else {
            continue;
        };
        if !(1900..=2100).contains(&year) {
            continue;
        }
        let (month, day, end) = match bytes.get(start + 4) {
            Some(b'-' | b'_' | b'/' | b'.') => {
                let separator = bytes[start + 4];
                if bytes.get(start + 7) != Some(&separator) {
                    continue;
                }
                match (digits_at(start + 5, 2), digits_at(start + 8, 2)) {
                    (Some(m), Some(d)) => (m, d, start + 10),
                    _ => continue,
                }
            }
            _ => match (digits_at(start + 4, 2), digits_at(start + 6, 2)) {
                (Some(m), Some(d)) => (m, d, start + 8),
                _ => continue,
            },
        };
        if bytes.get(end).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Ok(month) = Month::try_from(month as u8) else {
            continue;
        };
        if let Ok(date) = Date::from_calendar_date(year as i32, month, day as u8) {
            return Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc());
        }
    }
    None
}

/// The calendar day of `date` where it was written (its own offset), as midnight UTC: a paper
/// dated `Mon, 23 Jul 2018 00:36:02 +0400` is of 23 July, although it was still 22 July in UTC.
pub fn local_day(date: OffsetDateTime) -> OffsetDateTime {
    date.date().midnight().assume_utc()
}

/// The instant `date` as RFC 3339 with the offset the source gave (`2018-07-23T00:36:02+04:00`).
pub fn format_instant(date: OffsetDateTime) -> Option<String> {
    date.format(&Rfc3339).ok()
}

/// `YYYY-MM-DD` of a Unix timestamp.
pub fn format_day(seconds: i64) -> Option<String> {
    let date = OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month() as u8,
        date.day()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(date: OffsetDateTime) -> String {
        format!(
            "{}-{:02}-{:02}",
            date.year(),
            date.month() as u8,
            date.day()
        )
    }

    #[test]
    fn metadata_formats() {
        let cases = [
            ("Tue, 20 Feb 2018 01:44:01 GMT", "2018-02-20"),
            ("Tue, 20 Feb 2018 01:44:01 +0300", "2018-02-20"),
            ("2021-06-16T18:30:00Z", "2021-06-16"),
            ("2021-06-16T18:30:00+02:00", "2021-06-16"),
            ("2015-07-21 02:51:32", "2015-07-21"),
            ("2015-07-21", "2015-07-21"),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_date(raw).map(ymd).as_deref(), Some(expected), "{raw}");
        }
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            find_date_in("BB-culture-37-20180220").map(ymd).as_deref(),
            Some("2018-02-20")
        );
        assert_eq!(
            find_date_in("2021-06-16-geneva.txt").map(ymd).as_deref(),
            Some("2021-06-16")
        );
        assert_eq!(
            find_date_in("report_2019_03_01.html").map(ymd).as_deref(),
            Some("2019-03-01")
        );
        assert_eq!(find_date_in("article-123456789.txt"), None);
        assert_eq!(find_date_in("20181399"), None);
    }

    #[test]
    fn a_date_with_an_offset_keeps_its_own_calendar_day() {
        let date = parse_date("Mon, 23 Jul 2018 00:36:02 +0400").unwrap();
        assert_eq!(ymd(local_day(date)), "2018-07-23");
        assert_eq!(
            format_day(local_day(date).unix_timestamp()).as_deref(),
            Some("2018-07-23")
        );
        assert_eq!(
            format_instant(date).as_deref(),
            Some("2018-07-23T00:36:02+04:00")
        );
        let late = parse_date("2018-07-22T23:30:00-05:00").unwrap();
        assert_eq!(ymd(local_day(late)), "2018-07-22");
    }

    #[test]
    fn garbage_is_no_date() {
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }
}
