//! Each change of the audit trail, told in words.

use crate::history::{Change, Value};
use crate::lang::Lang;
use crate::model::Status;

/// One item-level change of a sheet, as the audit trail tells it.
pub fn describe(change: &Change, lang: Lang) -> String {
    let pick = |zh: String, en: String| lang.pick(zh, en);
    let value = |v: &Option<Value>| match v {
        Some(Value::Points(p)) => p.clone(),
        Some(Value::NotAssessed) => pick("不考核".into(), "not assessed".into()),
        None => "—".into(),
    };
    match change {
        Change::Score { item, from, to } => pick(
            format!("第 {item} 项：{} → {}", value(from), value(to)),
            format!("item {item}: {} → {}", value(from), value(to)),
        ),
        Change::DeductionAdded {
            item,
            points,
            reason,
        } => pick(
            format!("第 {item} 项增加扣分：−{points}，{reason}"),
            format!("deduction added on item {item}: −{points}, {reason}"),
        ),
        Change::DeductionRemoved {
            item,
            points,
            reason,
        } => pick(
            format!("第 {item} 项删除扣分：−{points}，{reason}"),
            format!("deduction removed on item {item}: −{points}, {reason}"),
        ),
        Change::DeductionChanged {
            item,
            from,
            to,
            reason,
        } => pick(
            format!("第 {item} 项扣分 −{from} → −{to}：{reason}"),
            format!("deduction on item {item}: −{from} → −{to}, {reason}"),
        ),
        Change::Status { from, to } => {
            let zh = |s: &Status| match s {
                Status::Final => "定稿",
                Status::Draft => "草稿",
            };
            pick(
                format!("状态：{} → {}", zh(from), zh(to)),
                format!("status {} → {}", from.as_str(), to.as_str()),
            )
        }
        Change::SignedOff {
            leader,
            members,
            date,
        } => {
            let date = date.clone().unwrap_or_default();
            pick(
                format!("签名：组长 {leader}，成员 {}，{date}", members.join("、")),
                format!(
                    "signed off by {leader} with {} on {date}",
                    members.join(", ")
                ),
            )
        }
        Change::SignoffRemoved => pick("撤销签名".into(), "sign-off removed".into()),
        Change::Created {
            earned: Some(earned),
            assessed: Some(assessed),
        } => pick(
            format!("新建评分表：已评分项合计 {earned} 分（这些项的标准分 {assessed} 分）"),
            format!("sheet created: {earned} of the {assessed} points of the items it scores"),
        ),
        Change::Created { .. } => pick("新建评分表".into(), "sheet created".into()),
        Change::Removed => pick("删除评分表".into(), "sheet deleted".into()),
        Change::Unreadable => pick(
            "该版本无法读取（YAML 有误），逐项变化未知".into(),
            "a version could not be read (broken YAML): item changes unknown".into(),
        ),
    }
}
