//! Rules on personal data (个人信息): resident ID numbers, mobile numbers and bank card numbers
//! written in the sheets, objections and rectification records, or in the names of their
//! evidence files. They are warnings at the exact characters, read from the files' own text
//! (comments and evidence paths included), since a published site is where such numbers leak;
//! the message shows the number masked, so that the warning itself does not repeat it.
//! Contact numbers in `groups.yaml` are published on purpose and not read here.

use crate::diag::{Diagnostic, Message, Rule, Severity};
use crate::lang::Lang;
use crate::personal::{self, Kind};
use crate::source::{FileId, Span, lines};

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[&RESIDENT_ID, &MOBILE_NUMBER, &BANK_CARD];

/// The personal numbers in the text of `file`, each a warning where it is written.
pub fn scan(file: FileId, text: &str, out: &mut Vec<Diagnostic>) {
    for (n, line) in lines(text).enumerate() {
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        for found in personal::find(line) {
            let number = &line[found.start..found.end];
            let span = Span {
                file,
                line: u32::try_from(n + 1).unwrap_or(u32::MAX),
                col: u32::try_from(line[..found.start].chars().count() + 1).unwrap_or(u32::MAX),
                len: u32::try_from(number.len()).unwrap_or(u32::MAX),
            };
            let msg = PersonalNumber {
                kind: found.kind,
                masked: personal::masked(number, found.kind),
            };
            out.push(Diagnostic::new(msg, span));
        }
    }
}

pub static RESIDENT_ID: Rule = Rule {
    code: "W0601",
    name: "resident-id-number",
    severity: Severity::Warning,
    title_zh: "写有居民身份证号码",
    title_en: "Resident ID number",
    doc_en: "What it checks: no resident ID number is written in a sheet, an objection, a
rectification record or an evidence file's name: 18 digits whose last is the ISO 7064 check
character (0–9 or X) and whose digits 7–14 are a real birth date, or the older 15 digits with a
birth date at 7–12.
Why: the site is published to every town; an ID number is personal information (个人信息保护法)
that the result does not need. The site, the exports and `diff` mask it (440102********1230), but
the repository keeps every version of what is written. Write the household another way (户主王某,
第 3 户).
Example: `reason: 户主 440102198001021230 未签字` → `reason: 第 3 户户主未签字`.",
    doc_zh: "检查内容：评分表、异议、整改台账及佐证材料文件名中不写居民身份证号码：18 位、末位为
ISO 7064 校验码（0–9 或 X）且第 7–14 位为真实出生日期，或 15 位、第 7–12 位为出生日期。
原因：网站要向全县公布；身份证号是个人信息（个人信息保护法），结果用不到它。网站、导出文件和
`diff` 会遮蔽（440102********1230），但仓库会保留写过的每一个版本。请换一种写法（户主王某、第 3 户）。
示例：`reason: 户主 440102198001021230 未签字` → `reason: 第 3 户户主未签字`。",
};

pub static MOBILE_NUMBER: Rule = Rule {
    code: "W0602",
    name: "mobile-number",
    severity: Severity::Warning,
    title_zh: "写有手机号码",
    title_en: "Mobile number",
    doc_en: "What it checks: no mobile number (11 digits, 1 then 3–9, not part of a longer
number) is written in a sheet, an objection, a rectification record or an evidence file's name.
Why: a resident's or an official's personal mobile number does not belong on a published site.
The site, the exports and `diff` mask it (138****5678), but the repository keeps it. Contact
numbers the office publishes go in `groups.yaml`: this rule does not read it, and they are shown
as written.
Example: `note: 联系户主 13812345678 核实` → `note: 已电话联系户主核实`.",
    doc_zh: "检查内容：评分表、异议、整改台账及佐证材料文件名中不写手机号码（11 位，以 1 开头、
第二位 3–9，且不是更长数字的一部分）。
原因：群众或干部的个人手机号不应出现在公布的网站上。网站、导出文件和 `diff` 会遮蔽（138****5678），
但仓库里仍留有原文。督查室要公布的联系电话写在 `groups.yaml`：本规则不检查该文件，网站照原样显示。
示例：`note: 联系户主 13812345678 核实` → `note: 已电话联系户主核实`。",
};

pub static BANK_CARD: Rule = Rule {
    code: "W0603",
    name: "bank-card-number",
    severity: Severity::Warning,
    title_zh: "写有银行卡号",
    title_en: "Bank card number",
    doc_en: "What it checks: no bank card number (16 to 19 digits passing the Luhn check) is
written in a sheet, an objection, a rectification record or an evidence file's name.
Why: a subsidy account number is personal financial information, and does not belong on a
published site. The site, the exports and `diff` show only its last 4 digits, but the repository
keeps it whole.
Example: `reason: 补贴未发放至 6222021234567890128` → `reason: 补贴未发放至户主社保卡`.",
    doc_zh: "检查内容：评分表、异议、整改台账及佐证材料文件名中不写银行卡号（16 至 19 位、通过
Luhn 校验的数字）。
原因：补贴账号是个人金融信息，不应出现在公布的网站上。网站、导出文件和 `diff` 只显示后 4 位，但仓
库里仍留有全号。
示例：`reason: 补贴未发放至 6222021234567890128` → `reason: 补贴未发放至户主社保卡`。",
};

/// A personal number, masked as the site shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalNumber {
    kind: Kind,
    masked: String,
}

impl Message for PersonalNumber {
    fn rule(&self) -> &'static Rule {
        match self.kind {
            Kind::ResidentId => &RESIDENT_ID,
            Kind::Mobile => &MOBILE_NUMBER,
            Kind::BankCard => &BANK_CARD,
        }
    }

    fn text(&self, lang: Lang) -> String {
        let masked = &self.masked;
        match (self.kind, lang) {
            (Kind::ResidentId, Lang::Zh) => format!(
                "这里写有居民身份证号码（{masked}）：网站会遮蔽，但仓库里留有原文；请改用不含号码的写法"
            ),
            (Kind::ResidentId, Lang::En) => format!(
                "a resident ID number ({masked}): the site masks it, but the repository keeps it; write it another way"
            ),
            (Kind::Mobile, Lang::Zh) => format!(
                "这里写有手机号码（{masked}）：网站会遮蔽，但仓库里留有原文；要公布的联系电话请写在 groups.yaml"
            ),
            (Kind::Mobile, Lang::En) => format!(
                "a mobile number ({masked}): the site masks it, but the repository keeps it; contact numbers to publish go in groups.yaml"
            ),
            (Kind::BankCard, Lang::Zh) => format!(
                "这里写有银行卡号（{masked}）：网站只显示后 4 位，但仓库里留有全号；请改用不含卡号的写法"
            ),
            (Kind::BankCard, Lang::En) => format!(
                "a bank card number ({masked}): the site shows its last 4 digits, but the repository keeps it; write it another way"
            ),
        }
    }
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    vec![
        Box::new(PersonalNumber {
            kind: Kind::ResidentId,
            masked: "440102********1230".into(),
        }),
        Box::new(PersonalNumber {
            kind: Kind::Mobile,
            masked: "138****5678".into(),
        }),
        Box::new(PersonalNumber {
            kind: Kind::BankCard,
            masked: "***************0128".into(),
        }),
    ]
}
