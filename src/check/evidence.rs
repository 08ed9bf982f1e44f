//! Rules on linked files (a sheet's evidence, and the rubric's links): each must be a regular,
//! visible file inside the repository.

use crate::diag::{Diagnostic, Message, Rule, Severity, message};
use crate::lang::Lang;
use crate::model::Spanned;
use crate::source::Evidence;

/// The rules declared in this file, in code order.
pub static RULES: &[&Rule] = &[&EVIDENCE_MISSING, &EVIDENCE_OUTSIDE, &EVIDENCE_HIDDEN];

/// Every linked file must be a regular, visible file inside the repository.
pub fn evidence_rules<'p>(
    paths: impl IntoIterator<Item = &'p Spanned<String>>,
    evidence: &dyn Fn(&str) -> Evidence,
    out: &mut Vec<Diagnostic>,
) {
    for path in paths {
        let written = path.value.clone();
        let span = path.span;
        out.push(match evidence(&path.value) {
            Evidence::Present { .. } => continue,
            Evidence::Missing => Diagnostic::new(EvidenceMissing::Missing { path: written }, span),
            Evidence::NotAFile => {
                Diagnostic::new(EvidenceMissing::NotAFile { path: written }, span)
            }
            Evidence::Outside => Diagnostic::new(EvidenceOutside { path: written }, span),
            Evidence::Hidden => Diagnostic::new(EvidenceHidden { path: written }, span),
        });
    }
}

// The rules, in code order.

pub static EVIDENCE_MISSING: Rule = Rule {
    code: "E0314",
    name: "evidence-missing",
    severity: Severity::Error,
    title_zh: "佐证材料文件不存在",
    title_en: "Evidence file does not exist",
    doc_en: "What it checks: every `evidence` path names an existing file, relative to content/.
Example: `evidence: [evidence/xiantang/1-water.jpg]` needs content/evidence/xiantang/1-water.jpg.",
    doc_zh: "检查内容：每个 `evidence` 路径都指向存在的文件，路径相对于 content/。
示例：`evidence: [evidence/xiantang/1-water.jpg]` 要求有 content/evidence/xiantang/1-water.jpg。",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceMissing {
    Missing {
        path: String,
    },
    /// A folder or a device.
    NotAFile {
        path: String,
    },
}

impl Message for EvidenceMissing {
    fn rule(&self) -> &'static Rule {
        &EVIDENCE_MISSING
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            EvidenceMissing::Missing { path } => lang.pick(
                format!("佐证材料 `{path}` 不存在（路径相对于 content/）：请上传该文件或更正路径"),
                format!("evidence `{path}` does not exist (paths are relative to content/): add the file or correct the path"),
            ),
            EvidenceMissing::NotAFile { path } => lang.pick(
                format!("佐证材料 `{path}` 不是文件（是文件夹或设备）：请写出具体文件的路径"),
                format!("evidence `{path}` is not a file (a folder or a device): give the path of the file itself"),
            ),
        }
    }
}

pub static EVIDENCE_OUTSIDE: Rule = Rule {
    code: "E0315",
    name: "evidence-outside",
    severity: Severity::Error,
    title_zh: "佐证材料路径超出仓库",
    title_en: "Evidence path leaves the repository",
    doc_en: "What it checks: evidence paths are relative and stay inside the repository (no `/…`, no `../..`,
no link to outside).
Why: the site publishes evidence; a path outside the repository could publish any file of the machine.",
    doc_zh: "检查内容：佐证材料的路径是相对路径，且不超出仓库（不以 `/…` 开头，不用 `../..` 跳出，
不是指向仓库之外的链接）。
原因：网站会发布佐证材料；超出仓库的路径可能把本机上的任何文件发布出去。",
};

message! {
    EvidenceOutside {
        path: String,
    } for EVIDENCE_OUTSIDE,
    "佐证材料路径 `{path}` 超出仓库：请把文件放在 content/evidence/ 下并用相对路径",
    "evidence path `{path}` leaves the repository: put the file under content/evidence/ and use a relative path",
}

pub static EVIDENCE_HIDDEN: Rule = Rule {
    code: "E0327",
    name: "evidence-hidden",
    severity: Severity::Error,
    title_zh: "佐证材料的文件名以点开头",
    title_en: "Evidence under a name starting with a dot",
    doc_en:
        "What it checks: no evidence file, nor a folder on its path, has a name starting with a dot.
Why: such files (.env, .ssh, editor back-ups) are hidden, often private, and are never published;
a link to one would be broken on the site.
Fix: rename the file or folder so that its name does not start with a dot.",
    doc_zh: "检查内容：佐证材料文件，以及它路径上的文件夹，名称都不以点开头。
原因：这样的文件（.env、.ssh、编辑器的备份）是隐藏的，往往属于私人内容，从不发布；
指向它的链接在网站上会失效。
改法：给文件或文件夹改名，使名称不以点开头。",
};

message! {
    EvidenceHidden {
        path: String,
    } for EVIDENCE_HIDDEN,
    "佐证材料 `{path}` 的文件名或所在文件夹以“.”开头，这样的文件不会发布：请改用不以“.”开头的名称",
    "evidence `{path}` has a file or folder name starting with a dot, which is never published: rename it",
}

#[cfg(test)]
pub(crate) fn samples() -> Vec<Box<dyn Message>> {
    let path = || "evidence/x.jpg".to_string();
    vec![
        Box::new(EvidenceMissing::Missing { path: path() }),
        Box::new(EvidenceOutside { path: path() }),
        Box::new(EvidenceHidden { path: path() }),
    ]
}
