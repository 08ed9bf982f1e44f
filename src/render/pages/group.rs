//! A group's page (`groups/<id>/`): who inspects for it, and its towns in rank order.

use serde::Serialize;

use crate::model::{Group, Person};
use crate::render::layout::Common;
use crate::render::rows::RankRow;
use crate::render::shared::Site;

#[derive(Serialize)]
pub struct GroupPage<'s> {
    common: Common<'s>,
    group: GroupLink<'s>,
    liaison: Option<PersonView<'s>>,
    leader: PersonView<'s>,
    deputies: Vec<PersonView<'s>>,
    members: Vec<PersonView<'s>>,
    contact: Option<PersonView<'s>>,
    rows: Vec<&'s RankRow<'s>>,
}

#[derive(Serialize)]
pub struct GroupLink<'a> {
    id: &'a str,
    name: &'a str,
}

impl<'a> GroupLink<'a> {
    pub fn new(group: &'a Group) -> Self {
        GroupLink {
            id: &group.id.value,
            name: &group.name,
        }
    }
}

#[derive(Serialize)]
struct PersonView<'a> {
    name: &'a str,
    title: Option<&'a str>,
    phone: Option<&'a str>,
}

impl<'a> PersonView<'a> {
    fn new(p: &'a Person) -> Self {
        PersonView {
            name: &p.name.value,
            title: p.title.as_deref(),
            phone: p.phone.as_deref(),
        }
    }
}

pub fn view<'s>(site: &'s Site, group: &'s Group) -> GroupPage<'s> {
    let mut rows: Vec<usize> = group
        .towns
        .iter()
        .filter_map(|slug| site.row_of.get(slug.value.as_str()).copied())
        .collect();
    // In rank order, as the ranking lists them.
    rows.sort_unstable();
    GroupPage {
        common: site.common(2, "groups"),
        group: GroupLink::new(group),
        liaison: group.liaison.as_ref().map(PersonView::new),
        leader: PersonView::new(&group.leader),
        deputies: group.deputies.iter().map(PersonView::new).collect(),
        members: group.members.iter().map(PersonView::new).collect(),
        contact: group.contact.as_ref().map(PersonView::new),
        rows: rows.into_iter().map(|r| &site.rows[r]).collect(),
    }
}
