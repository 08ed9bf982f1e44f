//! Every string of the site's interface, in Chinese and English.

use std::collections::BTreeMap;

use crate::model::Lang;

/// (key, 中文, English)
const STRINGS: &[(&str, &str, &str)] = &[
    ("ranking", "排名", "Ranking"),
    ("rank", "名次", "Rank"),
    ("town", "乡镇", "Town"),
    ("towns", "乡镇", "Towns"),
    ("group", "督查小组", "Group"),
    ("groups", "督查小组", "Groups"),
    ("total", "总分", "Total"),
    ("grade", "等次", "Grade"),
    ("classes", "分类", "Classes"),
    (
        "banner_consultation",
        "征求意见稿：各乡镇可在征求意见期内对评分提出异议，结果以正式发布为准（截至 {date}）",
        "Draft for comment: towns may object to their scores until the window closes; the published results are final (as of {date})",
    ),
    ("as_of", "截至 ", "as of "),
    (
        "banner_published",
        "正式发布：{tag}（{date}）",
        "Published: {tag} ({date})",
    ),
    ("objections", "异议复核", "Objections"),
    (
        "objections_window",
        "征求意见期：{from}至{to}。",
        "Objections may be filed from {from} to {to}. ",
    ),
    (
        "objections_pending",
        "尚有 {n} 条异议待决定。",
        "{n} still to be decided.",
    ),
    (
        "objections_caption",
        "各乡镇对评分提出的异议、督查室的决定和其后的分数修改",
        "The towns' objections to their scores, the office's decisions and the score changes that followed",
    ),
    ("objection", "异议", "Objection"),
    ("objection_filed", "提出日期", "Filed"),
    ("objection_claim", "异议内容", "Claim"),
    ("objection_decision", "决定", "Decision"),
    (
        "objection_followed",
        "其后的分数修改",
        "Score changes that followed",
    ),
    ("decision_accepted", "采纳", "Accepted"),
    ("decision_partly", "部分采纳", "Partly accepted"),
    ("decision_rejected", "驳回", "Rejected"),
    ("decision_pending", "待决定", "Pending"),
    (
        "no_objections",
        "没有乡镇提出异议。",
        "No town has objected.",
    ),
    ("item", "评分项", "Item"),
    ("rank_n", "第 {n} 名", "rank {n}"),
    ("classes_lead", "分类：", "Classes: "),
    ("class", "类别", "Class"),
    ("town_in_class", "{town}（{class}）", "{town} ({class})"),
    ("previous_round", "上轮", "Last round"),
    ("rounds", "历次督查", "Rounds"),
    ("round", "轮次", "Round"),
    ("this_round", "本轮", "this round"),
    (
        "rounds_caption",
        "本乡镇历次督查的名次、总分和等次，最早的在前",
        "The town's rank, total and grade in each round, earliest first",
    ),
    ("new_in_round", "新", "new"),
    ("most_improved", "进步最大", "Most improved"),
    (
        "most_improved_caption",
        "与上轮相比名次上升最多的乡镇（同一类别内比较）",
        "The towns that rose most in rank since the last round (within their class)",
    ),
    ("rise", "上升", "Rise"),
    ("total_change", "总分变化", "Change of total"),
    (
        "none_improved",
        "没有乡镇的名次比上轮上升。",
        "No town rose in rank since the last round.",
    ),
    (
        "stayed_at_bottom",
        "连续倒数 {n} 名",
        "In the bottom {n} round after round",
    ),
    (
        "stayed_caption",
        "本轮和此前连续各轮都在倒数 {n} 名内的乡镇",
        "Towns in the bottom {n} in this round and in each round just before it",
    ),
    ("rounds_in_a_row", "连续轮数", "Rounds in a row"),
    ("ranks", "历次名次", "Ranks"),
    (
        "none_stayed",
        "没有乡镇连续两轮处于末位。",
        "No town was in the bottom places two rounds in a row.",
    ),
    ("grade_distribution", "等次分布", "Grades"),
    (
        "grade_counts_caption",
        "各轮各等次的乡镇数",
        "Towns per grade in each round",
    ),
    (
        "rounds_side_by_side",
        "各轮对照",
        "Every round side by side",
    ),
    (
        "rounds_side_by_side_caption",
        "每个乡镇在各轮的名次和总分，最早的在前",
        "Each town's rank and total in every round, earliest first",
    ),
    ("vetoed", "一票否决", "Vetoed"),
    ("adjustments", "加减分", "Adjustments"),
    ("rubric_score", "评分表得分", "Scoring table"),
    ("consequences", "结果运用", "Consequences"),
    ("rubric", "评分表", "Scoring table"),
    ("notices", "通报与督办", "Notices"),
    ("history", "修改记录", "History"),
    ("category", "考核内容", "Area"),
    ("indicator", "考核指标", "Indicator"),
    ("requirement", "考核要求", "Requirement"),
    ("points", "标准分", "Points"),
    ("score", "考核分", "Score"),
    ("average", "平均分", "Average"),
    ("lowest", "最低分", "Lowest"),
    ("not_assessed", "不考核", "Not assessed"),
    ("deductions", "扣分情况", "Deductions"),
    ("deduct", "扣", "less"),
    ("reason", "扣分原因", "Reason"),
    ("evidence", "佐证材料", "Evidence"),
    ("notes", "督查记录", "Notes"),
    ("summary", "综合评价", "Summary"),
    ("signoff", "签名", "Sign-off"),
    ("leader_signature", "督查小组组长签名", "Group leader"),
    ("members_signature", "督查小组成员签名", "Group members"),
    ("signed_on", "日期", "Date"),
    ("not_signed", "尚未签名", "Not signed off"),
    ("inspected_town", "被督查乡镇", "Inspected town"),
    ("visited", "督查日期", "Visited"),
    ("status", "状态", "Status"),
    (
        "scores_csv_header",
        "名次,乡镇,标识,督查小组,状态,总分,方面,评分项,考核指标,标准分,得分,扣分,不考核原因,扣分原因",
        "rank,town,slug,group,status,total,section,item,indicator,points,score,deducted,not_assessed,reasons",
    ),
    ("csv_final", "定稿", "final"),
    ("csv_draft", "草稿", "draft"),
    ("csv_missing", "无评分表", "missing"),
    ("status_final", "定稿", "Final"),
    ("status_draft", "草稿", "Draft"),
    ("status_missing", "未提交", "No sheet"),
    ("sum_row", "合计", "Total"),
    ("rescaled", "折算", "Rescaled"),
    (
        "rescale_note",
        "有不考核项，总分按得分 ÷ 考核项标准分 × 总分折算",
        "Some items are not assessed: the total is earned ÷ assessed points × the rubric total",
    ),
    (
        "full_marks_note",
        "不考核项按满分计",
        "Items not assessed count as full marks",
    ),
    ("unranked", "未参加排名", "Not ranked"),
    (
        "unranked_note",
        "以下乡镇尚无定稿评分表，不参加排名",
        "These towns have no final sheet yet and are not ranked",
    ),
    (
        "banner_sample",
        "示例数据：本站分数为虚构，仅供演示",
        "Sample data: the scores on this site are invented",
    ),
    (
        "banner_provisional",
        "排名为暂定：以下乡镇尚无定稿评分表",
        "Provisional ranking: these towns have no final sheet yet",
    ),
    (
        "banner_draft",
        "本评分表为草稿，尚未定稿，不参加排名",
        "This sheet is a draft: it is not ranked",
    ),
    ("bottom", "倒数", "Bottom"),
    (
        "bottom_actions",
        "倒数 {n}：{actions}",
        "Bottom {n}: {actions}",
    ),
    (
        "bottom_actions_rounds",
        "连续 {r} 轮倒数 {n}：{actions}",
        "Bottom {n} for {r} rounds in a row: {actions}",
    ),
    (
        "bottom_actions_class_rounds",
        "各类连续 {r} 轮倒数 {n}：{actions}",
        "Bottom {n} of each class for {r} rounds in a row: {actions}",
    ),
    (
        "bottom_actions_class",
        "各类倒数 {n}：{actions}",
        "Bottom {n} of each class: {actions}",
    ),
    ("flagged", "列入通报", "Flagged"),
    ("liaison", "联系领导", "Liaison"),
    ("leader", "组长", "Leader"),
    ("deputies", "副组长", "Deputies"),
    ("members", "成员", "Members"),
    ("contact", "联系人", "Contact"),
    ("phone", "联系方式", "Phone"),
    (
        "lost_points_chart",
        "各乡镇各项失分图",
        "Points lost by town and item",
    ),
    ("totals_chart", "总分图", "Totals"),
    ("circular", "督查结果通报", "Circular of results"),
    (
        "circular_title",
        "关于{title}结果的通报",
        "Results of the {title}",
    ),
    (
        "circular_intro",
        "各乡镇综合评分和排名情况如下：",
        "The towns' totals and ranks are as follows:",
    ),
    (
        "circular_to",
        "各乡镇党委、政府：",
        "To the Party committees and governments of all towns:",
    ),
    (
        "circular_basics_heading",
        "一、督查基本情况",
        "1. The inspection",
    ),
    (
        "circular_basics",
        "按照{title}工作安排，各督查小组于{start}至{end}对{n}个乡镇逐项开展督查，依据评分标准评分，形成督查评分结果。",
        "Under the {title}, the inspection groups inspected {n} towns item by item from {start} to {end} and scored them against the scoring table.",
    ),
    (
        "circular_ranking_heading",
        "二、综合评分和排名情况",
        "2. Totals and ranks",
    ),
    ("circular_use_heading", "三、结果运用", "3. Consequences"),
    (
        "circular_bottom",
        "{label}综合评分倒数{n}名的乡镇：",
        "{label}Towns in the bottom {n}: ",
    ),
    (
        "circular_bottom_rounds",
        "{label}连续{r}轮综合评分倒数{n}名的乡镇：",
        "{label}Towns in the bottom {n} for {r} rounds in a row: ",
    ),
    (
        "circular_bottom_class_rounds",
        "{label}连续{r}轮在本类综合评分倒数{n}名的乡镇：",
        "{label}Towns in the bottom {n} of their class for {r} rounds in a row: ",
    ),
    (
        "circular_bottom_class",
        "{label}各类综合评分倒数{n}名的乡镇：",
        "{label}Towns in the bottom {n} of their class: ",
    ),
    ("circular_actions", "对以上乡镇：", " For these towns:"),
    ("list_sep", "；", ";"),
    ("list_end", "。", "."),
    ("notice_number", "{prefix}{n}号", "{prefix}{n}"),
    ("notice_number_blank", "〔{year}〕　号", "No. ___ ({year})"),
    ("supervision_notice", "专项督办通知", "Supervision notice"),
    (
        "supervision_to",
        "{town}党委、政府：",
        "To the Party committee and government of {town}:",
    ),
    (
        "supervision_title",
        "关于{town}专项督查发现问题限期整改的督办通知",
        "Supervision notice to {town}: problems to remedy by a deadline",
    ),
    (
        "supervision_intro",
        "在{title}中，你单位综合评分{total}分，排名第{rank}名，列入综合评分倒数{n}名。现将督查发现的问题督办如下，请限期落实整改。",
        "In the {title} your town's total was {total}, rank {rank}, in the bottom {n}. The problems found are listed below: remedy them by the deadline.",
    ),
    (
        "supervision_intro_class",
        "在{title}中，你单位综合评分{total}分，在{class}中排名第{rank}名，列入{class}综合评分倒数{n}名。现将督查发现的问题督办如下，请限期落实整改。",
        "In the {title} your town's total was {total}, rank {rank} among the {class} towns, in the bottom {n} of them. The problems found are listed below: remedy them by the deadline.",
    ),
    ("problems_heading", "一、存在问题", "1. Problems found"),
    (
        "problem",
        "{indicator}（第{item}项，失{lost}分）",
        "{indicator} (item {item}, {lost} points lost)",
    ),
    ("problem_veto", "一票否决：{text}", "Veto: {text}"),
    (
        "problem_penalty",
        "{text}（减{lost}分）",
        "{text} ({lost} points taken)",
    ),
    (
        "reason_lost",
        "{reason}（扣{points}分）",
        "{reason} (−{points})",
    ),
    ("deadline_heading", "二、整改要求", "2. Remedies"),
    (
        "deadline_text",
        "请于{date}前（{days}日内）完成整改，并将整改情况书面报送{issuer}。",
        "Complete the remedies by {date} (within {days} days) and report them in writing to {issuer}.",
    ),
    (
        "no_flagged",
        "没有乡镇列入倒数名次。",
        "No town is in the bottom places.",
    ),
    (
        "provisional_notices",
        "排名为暂定：尚有乡镇没有定稿评分表，结果运用须待全部乡镇定稿、排名完整后确定，因此暂不列出倒数名次，也不起草督办通知。",
        "The ranking is provisional: some towns have no final sheet yet. Consequences are decided on the complete ranking only, so no town is listed in the bottom places and no supervision notice is drafted yet.",
    ),
    (
        "provisional_consequences",
        "（排名为暂定，结果运用待全部乡镇定稿后确定）",
        " (the ranking is provisional: consequences are decided once every town has a final sheet)",
    ),
    ("built_from", "生成自提交", "Built from commit"),
    ("uncommitted", "含未提交的修改", "with uncommitted changes"),
    (
        "banner_dirty",
        "本站由尚未提交的修改生成，不是已提交的正式版本",
        "Built from uncommitted changes: not a committed version",
    ),
    (
        "assessed_only_where",
        "只考核「{label}」不为 0 的乡镇",
        "Assessed only in towns whose {label} is not 0",
    ),
    (
        "audit_off",
        "本站不显示修改记录：campaign.yaml 设置了 audit: {enabled: false}，本仓库的提交历史不作为督查记录。",
        "No history is shown: campaign.yaml sets audit: {enabled: false}, so this repository's commits are not an inspection record.",
    ),
    (
        "no_history",
        "非 git 仓库，无修改记录",
        "not a git repository: no history",
    ),
    ("sample_footer", "示例", "sample"),
    (
        "average_of",
        "按 {n} 个已评分乡镇计",
        "over {n} scored towns",
    ),
    ("print", "打印", "Print"),
    // Printed at the foot of every page: CSS content with the page counters.
    (
        "page_number",
        "\"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"",
        "\"Page \" counter(page) \" of \" counter(pages)",
    ),
    ("issued", "印发", "Issued"),
    ("sections", "分项得分", "By section"),
    ("of", "满分", "of"),
    ("filter", "筛选乡镇…", "Filter towns…"),
    ("items_lost", "失分项目", "Items with lost points"),
    (
        "history_intro",
        "每次修改评分表的提交：作者、时间、说明和逐项变化，最新的在前。",
        "Every commit that changed the content: author, time, message and item-level changes, newest first.",
    ),
    ("uncommitted_changes", "未提交的修改", "Uncommitted changes"),
    (
        "no_commits",
        "还没有修改内容的提交。",
        "No commit has changed the content yet.",
    ),
    (
        "no_changes",
        "本评分表还没有提交记录。",
        "This sheet has no commits yet.",
    ),
    ("change_added", "新建", "created"),
    ("and_more", "等，另有 {n} 个", "and {n} more"),
    (
        "histogram_note",
        "乡镇较多，图中为各分数段的乡镇数",
        "Towns per total score, in one-point bins",
    ),
    (
        "heat_lowest",
        "图中为排名最后的 {n} 个乡镇",
        "The chart shows the {n} lowest-ranked towns",
    ),
    ("change_deleted", "删除", "deleted"),
    (
        "average_total_of",
        "{n} 个参加排名乡镇总分的平均分",
        "the average total of {n} ranked towns",
    ),
    (
        "heat_legend",
        "颜色越深，失分占该项标准分的比例越大：",
        "The darker a cell, the larger the share of the item's points lost:",
    ),
    ("heat_none_lost", "未失分", "none lost"),
    ("change_renamed", "改名自", "renamed from"),
    ("none", "无", "none"),
];

/// The interface strings for a language, by key, for templates (`t.rank`).
pub fn strings(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|(k, zh, en)| (*k, if lang == Lang::Zh { *zh } else { *en }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique() {
        let keys: std::collections::HashSet<_> = STRINGS.iter().map(|s| s.0).collect();
        assert_eq!(keys.len(), STRINGS.len());
    }
}
