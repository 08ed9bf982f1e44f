//! Personal numbers in text (个人信息): resident ID numbers, mobile numbers and bank card
//! numbers, found so that `check` can warn where they are, and masked for publication.
//!
//! A number is a run of ASCII digits (an 18-digit ID may end in X) that no other digit, letter
//! or decimal point touches: `20200306` is a date, `12.5` a score, and a longer number is not
//! read as a shorter one inside it.

use std::borrow::Cow;

/// What kind of personal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 居民身份证号码: 18 digits with a valid ISO 7064 MOD 11-2 check digit and birth date, or the
    /// older 15 digits with a valid birth date.
    ResidentId,
    /// 手机号码: 11 digits, 1 then 3–9.
    Mobile,
    /// 银行卡号: 16 to 19 digits passing the Luhn check.
    BankCard,
}

/// A personal number found in a text: its kind and where it is (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Every personal number in `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        // An ID's check digit may be X.
        if end - start == 17 && end < bytes.len() && matches!(bytes[end], b'X' | b'x') {
            end += 1;
            i = end;
        }
        if touches(bytes, start, end) {
            continue;
        }
        if let Some(kind) = kind_of(&bytes[start..end]) {
            found.push(Found { kind, start, end });
        }
    }
    found
}

/// True when a letter, an underscore or a decimal point followed by a digit is next to the run:
/// then it is part of a code, a name or a figure, not a number of its own.
fn touches(bytes: &[u8], start: usize, end: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    let decimal_before = before == Some(b'.') && start >= 2 && bytes[start - 2].is_ascii_digit();
    let decimal_after =
        after == Some(b'.') && bytes.get(end + 1).is_some_and(|b| b.is_ascii_digit());
    before.is_some_and(word) || after.is_some_and(word) || decimal_before || decimal_after
}

fn kind_of(digits: &[u8]) -> Option<Kind> {
    match digits.len() {
        18 if resident_id_18(digits) => Some(Kind::ResidentId),
        15 if birth_date(&digits[6..12], true) => Some(Kind::ResidentId),
        11 if digits[0] == b'1' && (b'3'..=b'9').contains(&digits[1]) => Some(Kind::Mobile),
        16..=19 if digits.iter().all(u8::is_ascii_digit) && luhn(digits) => Some(Kind::BankCard),
        _ => None,
    }
}

/// An 18-digit ID: a valid birth date at 7–14 and the ISO 7064 MOD 11-2 check character.
fn resident_id_18(id: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if !id[..17].iter().all(u8::is_ascii_digit) || !birth_date(&id[6..14], false) {
        return false;
    }
    let sum: u32 = id[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    id[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

/// YYYYMMDD (or YYMMDD in the 1900s, for a 15-digit ID) that is a real day.
fn birth_date(digits: &[u8], short: bool) -> bool {
    let number = |d: &[u8]| {
        d.iter()
            .try_fold(0i16, |n, b| Some(n * 10 + i16::from(b.checked_sub(b'0')?)))
    };
    let (year, rest) = if short {
        (number(&digits[..2]).map(|y| 1900 + y), &digits[2..])
    } else {
        (number(&digits[..4]), &digits[4..])
    };
    let (Some(year), Some(month), Some(day)) = (year, number(&rest[..2]), number(&rest[2..4]))
    else {
        return false;
    };
    (1900..=2099).contains(&year)
        && jiff::civil::Date::new(
            year,
            i8::try_from(month).unwrap_or(0),
            i8::try_from(day).unwrap_or(0),
        )
        .is_ok()
}

/// The Luhn check bank card numbers carry.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A personal number as it may be published: an ID as its first 6 and last 4 characters
/// (440102********1234), a mobile as 138****1234, a card as its last 4 digits.
pub fn masked(number: &str, kind: Kind) -> String {
    let n = number.len();
    match kind {
        Kind::ResidentId => format!("{}{}{}", &number[..6], "*".repeat(n - 10), &number[n - 4..]),
        Kind::Mobile => format!("{}****{}", &number[..3], &number[7..]),
        Kind::BankCard => format!("{}{}", "*".repeat(n - 4), &number[n - 4..]),
    }
}

/// `text` with every personal number masked; borrowed when it has none.
pub fn mask(text: &str) -> Cow<'_, str> {
    mask_except(text, &[])
}

/// A file's path with every personal number masked by `x` rather than `*`, which no Windows
/// file system takes: 13912345678.jpg → 139xxxx5678.jpg.
pub fn mask_path(path: &str) -> Cow<'_, str> {
    match mask(path) {
        Cow::Owned(masked) => Cow::Owned(masked.replace('*', "x")),
        Cow::Borrowed(_) => Cow::Borrowed(path),
    }
}

/// `text` with every personal number masked but those in `keep` (numbers published on
/// purpose, as the groups' contact numbers are); borrowed when nothing is masked.
pub fn mask_except<'t>(text: &'t str, keep: &[String]) -> Cow<'t, str> {
    let found: Vec<Found> = find(text)
        .into_iter()
        .filter(|f| !keep.iter().any(|k| *k == text[f.start..f.end]))
        .collect();
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        out.push_str(&text[at..f.start]);
        out.push_str(&masked(&text[f.start..f.end], f.kind));
        at = f.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The digits of the phone numbers in `numbers` that read as personal numbers: what
/// `mask_except` keeps when they are published on purpose.
pub fn kept<'a>(numbers: impl Iterator<Item = &'a str>) -> Vec<String> {
    numbers
        .flat_map(|n| {
            find(n)
                .into_iter()
                .map(|f| n[f.start..f.end].to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        find(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn finds_ids_mobiles_and_cards_with_their_checks() {
        // 11010519491231002X is the standard's own example.
        assert_eq!(
            kinds("户主身份证11010519491231002X，电话13812345678。"),
            [
                (Kind::ResidentId, "11010519491231002X"),
                (Kind::Mobile, "13812345678")
            ]
        );
        assert_eq!(
            kinds("440102198001021230"),
            [(Kind::ResidentId, "440102198001021230")]
        );
        assert_eq!(
            kinds("旧证号 110105491231002"),
            [(Kind::ResidentId, "110105491231002")]
        );
        assert_eq!(
            kinds("补贴发放至 6222021234567890128 账户"),
            [(Kind::BankCard, "6222021234567890128")]
        );
        assert_eq!(
            kinds("evidence/xiantang/13912345678-户主.jpg"),
            [(Kind::Mobile, "13912345678")]
        );
    }

    #[test]
    fn leaves_what_only_looks_like_one() {
        // A wrong check digit, a date, scores, a longer number, a landline, a code.
        for text in [
            "110105194912310021",
            "2020年3月6日，即20200306",
            "1 2 3 4 12.5 13812345678.5",
            "0762-0000000",
            "138123456789",
            "A13812345678",
            "12345678901",
            "6222021234567890127",
            "110105491331002",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn masks_as_publication_allows() {
        assert_eq!(
            mask("身份证11010519491231002X，手机13812345678，卡号6222021234567890128"),
            "身份证110105********002X，手机138****5678，卡号***************0128"
        );
        assert!(matches!(mask("扣 2 分"), Cow::Borrowed(_)));
        let keep = kept(["联系电话 13900001111"].into_iter());
        assert_eq!(
            mask_except("联系 13900001111 或 13812345678", &keep),
            "联系 13900001111 或 138****5678"
        );
    }
}
