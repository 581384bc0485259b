//! Birth dates as written in PRONOTE (`JJ/MM/AAAA`, tolerated `J/M/AAAA` and `AAAA-MM-JJ`).

use std::fmt;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Year, 1900 to 2100.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl Date {
    /// Parses `JJ/MM/AAAA`, `J/M/AAAA`, `JJ-MM-AAAA`, `JJ.MM.AAAA` or `AAAA-MM-JJ`; `None` for
    /// anything else or a day that does not exist.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let mut parts = text.split(['/', '-', '.']);
        let (Some(a), Some(b), Some(c), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let numbers = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (year, month, day) = if a.len() == 4 {
            (numbers(a)?, numbers(b)?, numbers(c)?)
        } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
            (numbers(c)?, numbers(b)?, numbers(a)?)
        } else {
            return None;
        };
        Self::new(year, month, day)
    }

    /// A date if it exists in the calendar.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Self> {
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(Self {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Whether `other` is this date with day and month swapped (a classic typo).
    pub fn is_day_month_swap(self, other: Self) -> bool {
        self != other
            && self.year == other.year
            && self.day == other.month
            && self.month == other.day
    }

    /// Whether `other` differs from this date by a single digit of `JJ/MM/AAAA`.
    pub fn is_one_digit_off(self, other: Self) -> bool {
        let a = self.to_string();
        let b = other.to_string();
        a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms_parse_to_the_same_date() {
        let expected = Date::new(2000, 2, 3);
        assert_eq!(Date::parse("03/02/2000"), expected);
        assert_eq!(Date::parse("3/2/2000"), expected);
        assert_eq!(Date::parse("2000-02-03"), expected);
        assert_eq!(Date::parse("31/02/2000"), None);
        assert_eq!(Date::parse("29/02/2001"), None);
        assert_eq!(Date::parse("demain"), None);
    }

    #[test]
    fn typos_of_a_date_are_recognised() {
        let a = Date::new(2000, 5, 14).unwrap();
        assert!(a.is_one_digit_off(Date::new(2000, 5, 15).unwrap()));
        let b = Date::new(2000, 3, 4).unwrap();
        assert!(b.is_day_month_swap(Date::new(2000, 4, 3).unwrap()));
    }
}
