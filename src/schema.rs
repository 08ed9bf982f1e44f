//! JSON Schemas of the content files, derived from the campaign, for editors that check YAML
//! as you type (yaml-language-server: VS Code, and others).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::model::{Content, Item, Lang, Points};
use crate::problem::{Context, Problem, Result};

/// File names, in the order they are written.
pub const FILES: [&str; 7] = [
    "campaign.schema.json",
    "rubric.schema.json",
    "towns.schema.json",
    "groups.schema.json",
    "sheet.schema.json",
    "objections.schema.json",
    "rectification.schema.json",
];

/// The first line of a content file, so that editors find its schema (a path relative to
/// the file).
pub fn modeline(schema: &str, depth: usize) -> String {
    format!(
        "# yaml-language-server: $schema={}schemas/{schema}\n",
        "../".repeat(depth)
    )
}

fn number(p: Points) -> Value {
    if p.0 % 100 == 0 {
        json!(p.0 / 100)
    } else {
        // A two-place decimal printed exactly, then read as a JSON number.
        serde_json::from_str(&p.to_string()).unwrap_or(json!(0))
    }
}

/// `multipleOf` only for steps that binary fractions hold exactly (1, 0.5, 0.25, …), so that
/// editors do not flag 0.3 as off a step of 0.1 through rounding.
fn on_step(schema: &mut Map<String, Value>, step: Option<Points>) {
    if let Some(step) = step
        && step.0 > 0
        && (step.0 * 4) % 100 == 0
    {
        schema.insert("multipleOf".into(), number(step));
    }
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

fn date() -> Value {
    json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"})
}

fn text() -> Value {
    json!({"type": "string", "minLength": 1})
}

fn ident() -> Value {
    json!({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"})
}

fn person() -> Value {
    object(
        json!({
            "name": text(),
            "title": {"type": "string"},
            "git": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$", "description": "the e-mail of this person's git commits"},
            "phone": {"type": "string"},
            "keys": {
                "type": "array",
                "description": "the SSH public keys this person signs commits with, each the line of a .pub file",
                "items": {"type": "string", "pattern": "^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh.com|sk-ecdsa-sha2-nistp256@openssh.com) +[A-Za-z0-9+/=]+( .*)?$"},
            },
        }),
        &["name"],
    )
}

fn document(title: &str, mut body: Value) -> Value {
    if let Value::Object(map) = &mut body {
        map.insert(
            "$schema".into(),
            json!("http://json-schema.org/draft-07/schema#"),
        );
        map.insert("title".into(), json!(title));
    }
    body
}

fn points_schema(max: Option<Points>, step: Option<Points>, min: &str) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("number"));
    schema.insert(min.into(), json!(0));
    if let Some(max) = max {
        schema.insert("maximum".into(), number(max));
    }
    on_step(&mut schema, step);
    Value::Object(schema)
}

fn campaign() -> Value {
    document(
        "ducha campaign.yaml",
        object(
            json!({
                "id": ident(),
                "title": text(),
                "issuer": text(),
                "issued": date(),
                "inspection": object(json!({"start": date(), "end": date()}), &["start", "end"]),
                "review_deadline": date(),
                "timezone": {"type": "string", "description": "e.g. Asia/Shanghai"},
                "language": {"enum": ["zh-CN", "en"]},
                "sample": {"type": "boolean"},
                "scoring": object(json!({
                    "step": {"type": "number", "exclusiveMinimum": 0},
                    "not_assessed": {"enum": ["rescale", "full_marks"]},
                }), &[]),
                "consequences": {"type": "array", "items": object(json!({
                    "bottom": {"type": "integer", "minimum": 1},
                    "actions": {"type": "array", "items": text()},
                    "deadline_days": {"type": "integer", "minimum": 1},
                    "rounds": {"type": "integer", "minimum": 1, "maximum": 120, "description": "in the bottom places in this round and each of the rounds before it, this many in all"},
                }), &["bottom"])},
                "office": {"type": "array", "items": person()},
                "audit": object(json!({
                    "enabled": {"type": "boolean"},
                    "from": {"type": "string", "description": "the commit the audit starts from"},
                    "require_signed": {"type": "boolean", "description": "every change to a sheet must be in a commit signed with a listed key of someone allowed to make it"},
                }), &[]),
                "notice_number": object(json!({
                    "prefix": {"type": "string", "minLength": 1, "description": "发文字号 before the number, e.g. 东督办〔2020〕"},
                    "first": {"type": "integer", "minimum": 0, "description": "the circular's number; each supervision notice takes the next"},
                }), &["prefix"]),
                "grades": {
                    "type": "array",
                    "description": "等次, highest first: a published total of at least min gets the grade",
                    "items": object(json!({"name": text(), "min": {"type": "number", "minimum": 0}}), &["name", "min"]),
                },
                "previous": {"type": "string", "minLength": 1, "description": "the tag or commit of this repository holding the previous round"},
                "objections": object(json!({"days": {"type": "integer", "minimum": 0, "maximum": 3650, "description": "days after the review deadline in which towns may object"}}), &["days"]),
                "rectification": {"enum": ["all"], "description": "every town rectifies its deductions, not only those under a consequence with deadline_days"},
                "evidence": {"type": "object", "additionalProperties": false, "properties": {"publish": {"type": "boolean", "description": "false keeps evidence files off the site; their names stay, as text"}}},
                "marking": {"type": "string", "description": "on every page and printed page, with the commit (default 内部资料 注意保密 for zh-CN, none for en; \"\" for none)"},
                "classes": {"type": "string", "minLength": 1, "description": "分类考核: the town attribute whose values are the classes towns are ranked within"},
            }),
            &["id", "title", "issuer", "inspection"],
        ),
    )
}

fn rubric(step: Option<Points>) -> Value {
    let points = points_schema(None, step, "exclusiveMinimum");
    let criterion = object(
        json!({"id": ident(), "text": text(), "points": points}),
        &["id", "text", "points"],
    );
    let item = object(
        json!({
            "id": ident(),
            "category": {"type": "string"},
            "indicator": text(),
            "requirement": {"type": "string", "description": "Markdown"},
            "points": points,
            "assessed_if": {"type": "string", "description": "a town attribute; 0 or false means not assessed"},
            "criteria": {"type": "array", "items": criterion},
        }),
        &["id", "indicator", "points"],
    );
    document(
        "ducha rubric.yaml",
        object(
            json!({
                "total": points,
                "attributes": {
                    "type": "object",
                    "description": "what the town attributes named by assessed_if are called, e.g. poverty_villages: 省定相对贫困村数",
                    "additionalProperties": text(),
                },
                "sections": {"type": "array", "items": object(json!({
                    "id": ident(),
                    "title": text(),
                    "parts": {"type": "array", "items": object(json!({
                        "title": text(),
                        "items": {"type": "array", "items": item},
                    }), &["items"])},
                }), &["id", "title", "parts"])},
                "adjustments": {
                    "type": "array",
                    "description": "加减分项: points added (bonus) or taken (penalty) per occurrence, up to cap",
                    "items": object(json!({
                        "id": ident(),
                        "kind": {"enum": ["bonus", "penalty"]},
                        "text": text(),
                        "points_each": {"type": "number", "exclusiveMinimum": 0},
                        "cap": {"type": "number", "exclusiveMinimum": 0},
                    }), &["id", "kind", "text", "points_each"]),
                },
                "vetoes": {
                    "type": "array",
                    "description": "一票否决: a town with one is ranked below every other",
                    "items": object(json!({"id": ident(), "text": text()}), &["id", "text"]),
                },
            }),
            &["total", "sections"],
        ),
    )
}

fn towns() -> Value {
    document(
        "ducha towns.yaml",
        json!({
            "type": "array",
            "items": object(json!({
                "name": text(),
                "slug": ident(),
                "attributes": {
                    "type": "object",
                    "additionalProperties": {"type": ["integer", "boolean", "string"], "minimum": 0, "minLength": 1},
                },
            }), &["name", "slug"]),
        }),
    )
}

fn town_slugs(content: &Content) -> BTreeSet<String> {
    content.town_slugs().map(str::to_string).collect()
}

fn enum_or(values: BTreeSet<String>, fallback: Value) -> Value {
    if values.is_empty() {
        fallback
    } else {
        json!({"enum": values})
    }
}

fn groups(content: &Content) -> Value {
    let slugs = town_slugs(content);
    document(
        "ducha groups.yaml",
        json!({
            "type": "array",
            "items": object(json!({
                "id": ident(),
                "name": text(),
                "liaison": person(),
                "leader": person(),
                "deputies": {"type": "array", "items": person()},
                "members": {"type": "array", "items": person()},
                "contact": person(),
                "towns": {"type": "array", "items": enum_or(slugs, ident())},
            }), &["id", "name", "leader", "towns"]),
        }),
    )
}

fn describe(item: &Item, lang: Lang) -> String {
    let points = match lang {
        Lang::Zh => format!("标准分 {}", item.points.value),
        Lang::En => format!("{} points", item.points.value),
    };
    let mut text = format!("{}. {}（{points}）", item.id.value, item.indicator);
    if !item.requirement.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(item.requirement.trim());
    }
    text
}

fn sheet(content: &Content, step: Option<Points>) -> Value {
    let mut items = Map::new();
    for item in content.rubric.iter().flat_map(|r| r.items()) {
        let points = item.points.value;
        let mut entry = Map::new();
        entry.insert("score".into(), points_schema(Some(points), step, "minimum"));
        entry.insert(
            "deductions".into(),
            json!({"type": "array", "items": object(json!({
                "points": points_schema(Some(points), step, "exclusiveMinimum"),
                "reason": text(),
                "evidence": {"type": "array", "items": {"type": "string", "description": "a file, relative to content/"}},
            }), &["points", "reason"])}),
        );
        if !item.criteria.is_empty() {
            let mut criteria = Map::new();
            for c in &item.criteria {
                let mut schema = points_schema(Some(c.points.value), step, "minimum");
                if let Value::Object(map) = &mut schema {
                    map.insert("description".into(), json!(c.text));
                }
                criteria.insert(c.id.value.clone(), schema);
            }
            let ids: Vec<&str> = item.criteria.iter().map(|c| c.id.value.as_str()).collect();
            entry.insert("criteria".into(), object(Value::Object(criteria), &ids));
        }
        if item.assessed_if.is_some() {
            entry.insert("not_assessed".into(), text());
        }
        entry.insert(
            "note".into(),
            json!({"type": "string", "description": "Markdown"}),
        );
        let mut schema = object(Value::Object(entry), &[])
            .as_object()
            .cloned()
            .unwrap_or_default();
        schema.insert("description".into(), json!(describe(item, content.lang())));
        items.insert(item.id.value.clone(), Value::Object(schema));
    }
    let mut scores = Map::new();
    scores.insert("type".into(), json!("object"));
    if !items.is_empty() {
        scores.insert("additionalProperties".into(), json!(false));
    }
    scores.insert("properties".into(), Value::Object(items));
    let slugs = town_slugs(content);
    let groups = content.groups.iter().flatten();
    let ids: BTreeSet<String> = groups.clone().map(|g| g.id.value.clone()).collect();
    let leaders: BTreeSet<String> = groups
        .clone()
        .map(|g| g.leader.name.value.clone())
        .collect();
    let members: BTreeSet<String> = groups
        .flat_map(|g| g.inspectors().map(|p| p.name.value.clone()))
        .collect();
    let occurrence = object(
        json!({"reason": text(), "evidence": {"type": "array", "items": {"type": "string"}}}),
        &["reason"],
    );
    document(
        "ducha sheet",
        object(
            json!({
                "town": enum_or(slugs, text()),
                "group": enum_or(ids, text()),
                "status": {"enum": ["draft", "final"]},
                "visited": {"type": "array", "items": date()},
                "scores": scores,
                "summary": {"type": "string", "description": "Markdown"},
                "signoff": object(json!({
                    "leader": enum_or(leaders, text()),
                    "members": {"type": "array", "items": enum_or(members, text())},
                    "date": date(),
                }), &["leader", "date"]),
                "adjustments": {
                    "type": "object",
                    "description": "occurrences of the rubric's adjustments, by id: one entry each",
                    "additionalProperties": {"type": "array", "items": occurrence.clone()},
                },
                "vetoes": {
                    "type": "object",
                    "description": "the rubric's vetoes that apply, by id, with reason and evidence",
                    "additionalProperties": occurrence,
                },
            }),
            &["town", "group", "status", "scores"],
        ),
    )
}

fn objections(content: &Content) -> Value {
    let items: Vec<&str> = content.item_ids().collect();
    let office: Vec<&str> = content.office_names().collect();
    let request = object(
        json!({
            "item": {"enum": items, "description": "the id of the item objected to"},
            "filed": date(),
            "claim": text(),
            "evidence": {"type": "array", "minItems": 1, "items": {"type": "string", "description": "a file, relative to content/"}},
            "decision": {"enum": ["accepted", "partly", "rejected"], "description": "absent while pending"},
            "decided": date(),
            "decided_by": {"enum": office, "description": "someone of the office"},
            "note": {"type": "string"},
        }),
        &["item", "filed", "claim", "evidence"],
    );
    document(
        "ducha objections/<slug>.yaml",
        object(
            json!({
                "town": {"enum": town_slugs(content)},
                "requests": {"type": "array", "items": request},
            }),
            &["town", "requests"],
        ),
    )
}

fn rectification(content: &Content) -> Value {
    let items: Vec<&str> = content.item_ids().collect();
    let office: Vec<&str> = content.office_names().collect();
    let record = object(
        json!({
            "item": {"enum": items, "description": "the id of the item the deduction is on"},
            "deduction": {"type": "integer", "minimum": 1, "description": "the deduction's place among the item's deductions, from 1"},
            "measures": {"type": ["string", "null"], "description": "what the town did"},
            "done": {"anyOf": [date(), {"type": "null"}], "description": "the day the work was done (已整改)"},
            "evidence": {"type": "array", "items": {"type": "string", "description": "a file, relative to content/"}},
            "closed": object(json!({
                "by": {"enum": office, "description": "someone of the office"},
                "date": date(),
            }), &["by", "date"]),
        }),
        &["item", "deduction"],
    );
    document(
        "ducha rectification/<slug>.yaml",
        object(
            json!({
                "town": {"enum": town_slugs(content)},
                "problems": {"type": ["array", "null"], "items": record},
            }),
            &["town", "problems"],
        ),
    )
}

/// Every schema, by file name.
pub fn schemas(content: &Content) -> Vec<(&'static str, Value)> {
    let step = content
        .campaign
        .as_ref()
        .map(|c| c.step.value)
        .filter(|s| s.0 > 0);
    vec![
        (FILES[0], campaign()),
        (FILES[1], rubric(step)),
        (FILES[2], towns()),
        (FILES[3], groups(content)),
        (FILES[4], sheet(content, step)),
        (FILES[5], objections(content)),
        (FILES[6], rectification(content)),
    ]
}

/// Writes the schemas into `dir`.
pub fn write(content: &Content, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| Problem::Creating(dir.to_path_buf()))?;
    for (name, schema) in schemas(content) {
        let mut text =
            serde_json::to_string_pretty(&schema).with_context(|| Problem::WritingSchema(name))?;
        text.push('\n');
        crate::write::replace_file(&dir.join(name), text.as_bytes())?;
    }
    Ok(())
}
