//! A synthetic campaign in ducha's formats, of any size: the `corpus` example writes it for
//! benchmarks, and the tests include this file for builds of realistic size.
//!
//! Towns are scored pseudo-randomly (the same sizes write the same files), in every entry
//! form: scores, deductions with reasons and evidence notes, criteria, not assessed.

use std::fmt::Write as _;
use std::path::Path;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Item points in halves: every item is worth 1 to 8 points, the last one makes the total 100.
pub struct Item {
    pub id: String,
    pub halves: u64,
    pub criteria: Vec<u64>,
    pub conditional: bool,
}

fn rubric(items: usize, rng: &mut Rng) -> Vec<Item> {
    let items = items.clamp(2, 190);
    let mut out = Vec::new();
    let mut left: u64 = 200;
    for i in 0..items {
        let remaining = (items - i) as u64;
        let halves = if remaining == 1 {
            left
        } else {
            (2 + rng.below(6)).min(left - (remaining - 1))
        };
        left -= halves;
        let criteria = if halves >= 4 && i % 5 == 4 {
            vec![halves / 2, halves - halves / 2]
        } else {
            Vec::new()
        };
        out.push(Item {
            id: (i + 1).to_string(),
            halves,
            criteria,
            conditional: i == 1,
        });
    }
    out
}

pub fn half(h: u64) -> String {
    if h.is_multiple_of(2) {
        (h / 2).to_string()
    } else {
        format!("{}.5", h / 2)
    }
}

const REASONS: [&str; 6] = [
    "抽查 10 户，1 户缺饮水安全检测报告",
    "台账未按月更新，缺 2 个月记录",
    "会议记录缺少签到表",
    "公示栏内容未更新",
    "资金使用台账未按项目分列",
    "村道沿线有积存垃圾",
];

fn sheet(
    slug: &str,
    group: usize,
    items: &[Item],
    poor: bool,
    rng: &mut Rng,
    signer: &str,
) -> String {
    let mut s = format!(
        "town: {slug}\ngroup: g{group}\nstatus: final\nvisited: [2020-03-0{}]\nscores:\n",
        1 + rng.below(5)
    );
    for item in items {
        let id = &item.id;
        if item.conditional && !poor {
            let _ = writeln!(s, "  \"{id}\": {{not_assessed: 本镇无贫困村}}");
            continue;
        }
        if !item.criteria.is_empty() {
            let parts: Vec<String> = item
                .criteria
                .iter()
                .enumerate()
                .map(|(k, h)| format!("c{k}: {}", half(h - rng.below(2).min(*h))))
                .collect();
            let _ = writeln!(s, "  \"{id}\": {{criteria: {{{}}}}}", parts.join(", "));
            continue;
        }
        match rng.below(4) {
            0 => {
                let lost = 1 + rng.below(item.halves.min(3));
                let _ = writeln!(
                    s,
                    "  \"{id}\":\n    deductions:\n      - points: {}\n        reason: {}\n    note: |\n      抽查记录见附件，**已当面反馈**。",
                    half(lost),
                    REASONS[rng.below(6) as usize]
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  \"{id}\": {{score: {}}}",
                    half(item.halves - rng.below(2))
                );
            }
        }
    }
    let _ = write!(
        s,
        "summary: |\n  总体较好，个别项目台账不全。\nsignoff:\n  leader: 组长{group}\n  members: [{signer}]\n  date: 2020-03-06\n"
    );
    s
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creating a folder");
    }
    std::fs::write(path, text).expect("writing a file");
}

/// What [`write_campaign`] wrote, for the history and the Hugo copy the example adds.
pub struct Campaign {
    pub items: Vec<Item>,
    pub sheets: Vec<String>,
    pub rng: Rng,
}

/// Writes `content/` of a campaign of `count` towns in `group_count` groups, on a rubric of
/// `items` items, under `out`.
pub fn write_campaign(out: &Path, count: usize, items: usize, group_count: usize) -> Campaign {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ count as u64);
    let items = rubric(items, &mut rng);
    let content = out.join("content");
    write(
        &content.join("campaign.yaml"),
        "id: synthetic\ntitle: 合成督查\nissuer: 合成县委办公室\nissued: 2020-02-29\ninspection: {start: 2020-03-01, end: 2020-03-05}\nreview_deadline: 2020-03-06\ntimezone: Asia/Shanghai\nlanguage: zh-CN\nsample: true\nscoring: {step: 0.5, not_assessed: rescale}\nconsequences:\n  - {bottom: 3, actions: [全县通报批评, 下达专项督办通知], deadline_days: 15}\noffice:\n  - {name: 督查室, git: office@example.org}\n",
    );
    let mut r = String::from("total: 100\nsections:\n");
    let half_way = items.len() / 2;
    for (k, chunk) in [&items[..half_way], &items[half_way..]].iter().enumerate() {
        let _ = write!(
            r,
            "  - id: s{k}\n    title: 第{}方面\n    parts:\n      - title: 部分\n        items:\n",
            k + 1
        );
        for item in chunk.iter() {
            let _ = write!(
                r,
                "          - id: \"{}\"\n            category: 内容{}\n            indicator: 指标{}\n            requirement: 按要求落实，台账齐全。\n            points: {}\n",
                item.id,
                item.id,
                item.id,
                half(item.halves)
            );
            if item.conditional {
                r.push_str("            assessed_if: poor\n");
            }
            if !item.criteria.is_empty() {
                r.push_str("            criteria:\n");
                for (c, h) in item.criteria.iter().enumerate() {
                    let _ = writeln!(
                        r,
                        "              - {{id: c{c}, text: 细则{c}, points: {}}}",
                        half(*h)
                    );
                }
            }
        }
    }
    write(&content.join("rubric.yaml"), &r);
    let mut towns = String::new();
    let mut groups = vec![Vec::new(); group_count];
    for t in 0..count {
        let poor = t % 3 != 0;
        let _ = writeln!(
            towns,
            "- {{name: 乡镇{t}, slug: t{t}, attributes: {{poor: {}}}}}",
            u8::from(poor)
        );
        groups[t % group_count].push(t);
    }
    write(&content.join("towns.yaml"), &towns);
    let mut g = String::new();
    for (i, members) in groups.iter().enumerate() {
        let slugs: Vec<String> = members.iter().map(|t| format!("t{t}")).collect();
        let _ = write!(
            g,
            "- id: g{i}\n  name: 第{i}小组\n  leader: {{name: 组长{i}, git: leader{i}@example.org}}\n  members:\n    - {{name: 成员{i}a, git: m{i}a@example.org}}\n    - {{name: 成员{i}b, git: m{i}b@example.org}}\n  towns: [{}]\n",
            slugs.join(", ")
        );
    }
    write(&content.join("groups.yaml"), &g);
    let mut texts = Vec::with_capacity(count);
    for t in 0..count {
        let group = t % group_count;
        let text = sheet(
            &format!("t{t}"),
            group,
            &items,
            t % 3 != 0,
            &mut rng,
            &format!("成员{group}a"),
        );
        write(&content.join(format!("sheets/t{t}.yaml")), &text);
        texts.push(text);
    }
    Campaign {
        items,
        sheets: texts,
        rng,
    }
}
