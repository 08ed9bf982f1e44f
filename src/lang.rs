//! The language a person reads ducha in: Chinese or English.

/// Chinese is the default: a campaign without `language:` is a Chinese one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Of a text in Chinese and the same in English, the one in this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The language of the system ducha runs on, for what is said before a campaign is read.
    pub fn system() -> Lang {
        Lang::of_locale(|name| std::env::var(name).ok())
            .or_else(windows_ui)
            .unwrap_or(Lang::En)
    }

    /// The language that the locale variables name, read through `var`: the first of
    /// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty decides, as in POSIX.
    pub fn of_locale(var: impl Fn(&str) -> Option<String>) -> Option<Lang> {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|value| !value.is_empty())?;
        Some(if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        })
    }
}

/// The language of the Windows user interface, which Windows keeps out of the environment.
#[cfg(windows)]
fn windows_ui() -> Option<Lang> {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        safe fn GetUserDefaultUILanguage() -> u16;
    }
    const CHINESE: u16 = 0x04;
    Some(if GetUserDefaultUILanguage() & 0x3ff == CHINESE {
        Lang::Zh
    } else {
        Lang::En
    })
}

#[cfg(not(windows))]
fn windows_ui() -> Option<Lang> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Option<Lang> {
        Lang::of_locale(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn chinese_locales_are_chinese() {
        assert_eq!(with(&[("LANG", "zh_CN.UTF-8")]), Some(Lang::Zh));
        assert_eq!(with(&[("LANG", "zh_TW.Big5")]), Some(Lang::Zh));
        assert_eq!(with(&[("LC_ALL", "zh_CN.GB18030")]), Some(Lang::Zh));
    }

    #[test]
    fn other_locales_are_english() {
        assert_eq!(with(&[("LANG", "C")]), Some(Lang::En));
        assert_eq!(with(&[("LANG", "POSIX")]), Some(Lang::En));
        assert_eq!(with(&[("LANG", "de_DE.UTF-8")]), Some(Lang::En));
        assert_eq!(with(&[]), None);
    }

    #[test]
    fn lc_all_then_lc_messages_then_lang() {
        let all = [("LC_ALL", "C"), ("LC_MESSAGES", "zh_CN"), ("LANG", "zh_CN")];
        assert_eq!(with(&all), Some(Lang::En));
        let messages = [("LC_ALL", ""), ("LC_MESSAGES", "zh_CN"), ("LANG", "C")];
        assert_eq!(with(&messages), Some(Lang::Zh));
        assert_eq!(with(&[("LC_ALL", ""), ("LANG", "zh_SG")]), Some(Lang::Zh));
    }
}
