//! How official documents (公文) write dates, numbers and titles: 2020年3月6日, （一）, no
//! spaces between Chinese and figures.

use jiff::civil::Date;

use crate::model::Lang;

/// A date as a document writes it: 2020年3月6日, or 6 March 2020.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            let month = MONTHS[usize::from(d.month().clamp(1, 12).unsigned_abs()) - 1];
            format!("{} {month} {}", d.day(), d.year())
        }
    }
}

/// A number in Chinese numerals, as headings count: 一, 十二, 二十一; figures from 100 on.
pub fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// The label of the `n`-th point under a heading (from 1): （一）, or "(1) ".
pub fn sub_label(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{}）", numeral(n)),
        Lang::En => format!("({n}) "),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Chinese text with no spaces next to Chinese characters, as documents set it: a title
/// written "2020 年度" reads "2020年度", evenly spaced with the rest.
pub fn tidy(text: &str, lang: Lang) -> String {
    if lang != Lang::Zh {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if before.is_some_and(|c| is_cjk(*c)) || after.is_some_and(|c| is_cjk(*c)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_out_without_padding() {
        let d = Date::new(2020, 3, 6).unwrap();
        assert_eq!(date(d, Lang::Zh), "2020年3月6日");
        assert_eq!(date(d, Lang::En), "6 March 2020");
        assert_eq!(
            date(Date::new(2020, 12, 21).unwrap(), Lang::Zh),
            "2020年12月21日"
        );
    }

    #[test]
    fn numerals_count_as_headings_do() {
        let written: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 30, 99, 100]
            .into_iter()
            .map(numeral)
            .collect();
        assert_eq!(
            written,
            [
                "一",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "三十",
                "九十九",
                "100"
            ]
        );
        assert_eq!(sub_label(3, Lang::Zh), "（三）");
        assert_eq!(sub_label(3, Lang::En), "(3) ");
    }

    #[test]
    fn spaces_next_to_chinese_go() {
        assert_eq!(
            tidy("2020 年度东源县 专项督查 A B", Lang::Zh),
            "2020年度东源县专项督查A B"
        );
        assert_eq!(tidy("2020 campaign", Lang::En), "2020 campaign");
    }
}
