//! Who signed each commit: its SSH signature read with the keys that campaign.yaml and
//! groups.yaml list for each person.

use std::collections::HashMap;

use serde::Serialize;
use ssh_key::public::KeyData;

use crate::history::{History, Signature};
use crate::lang::Lang;
use crate::model::{Content, Group, Person};

/// A commit's signer, as the trail shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "signed", rename_all = "snake_case")]
pub enum Signer {
    /// Signed with the key of this person, and the signature holds.
    Verified {
        name: String,
        fingerprint: String,
    },
    /// A signature that holds, by a key nobody lists.
    UnknownKey {
        fingerprint: String,
    },
    /// A signature that does not hold for the commit: changed after signing, or forged; no
    /// fingerprint when the signature cannot even be read.
    Invalid {
        fingerprint: Option<String>,
    },
    /// Signed, but not with SSH (OpenPGP, X.509): not with a listed key.
    OtherFormat,
    Unsigned,
}

impl Signer {
    pub fn is_verified(&self) -> bool {
        matches!(self, Signer::Verified { .. })
    }

    /// A word for pages and styles: `verified`, `unknown_key`, `invalid`, `other_format`,
    /// `unsigned`.
    pub fn key(&self) -> &'static str {
        match self {
            Signer::Verified { .. } => "verified",
            Signer::UnknownKey { .. } => "unknown_key",
            Signer::Invalid { .. } => "invalid",
            Signer::OtherFormat => "other_format",
            Signer::Unsigned => "unsigned",
        }
    }

    /// The signer in words.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Signer::Verified { name, .. } => lang.pick(
                format!("已签名，经核实：{name}"),
                format!("signed and verified: {name}"),
            ),
            Signer::UnknownKey { fingerprint } => lang.pick(
                format!("已签名，但公钥未登记（{fingerprint}）"),
                format!("signed by an unknown key ({fingerprint})"),
            ),
            Signer::Invalid { .. } => lang.pick(
                "签名与提交内容不符".to_string(),
                "signature does not verify".to_string(),
            ),
            Signer::OtherFormat => lang.pick(
                "已签名，但不是用登记的 SSH 公钥".to_string(),
                "signed, but not with a listed SSH key".to_string(),
            ),
            Signer::Unsigned => lang.pick("未签名".to_string(), "unsigned".to_string()),
        }
    }
}

/// Every key the campaign lists, with its owner.
pub struct Keys<'a> {
    owners: HashMap<&'a KeyData, &'a Person>,
    /// True when someone lists a key or the campaign requires signing: then the trail shows
    /// each commit's signer.
    pub in_use: bool,
}

impl<'a> Keys<'a> {
    pub fn new(content: &'a Content) -> Self {
        let mut owners = HashMap::new();
        for person in content.people() {
            for key in &person.keys {
                owners.entry(&key.value.data).or_insert(person);
            }
        }
        let required = content
            .campaign
            .as_ref()
            .is_some_and(|c| c.audit.require_signed);
        Keys {
            in_use: required || !owners.is_empty(),
            owners,
        }
    }

    /// Who signed a commit with this signature.
    pub fn signer(&self, signature: &Signature) -> Signer {
        match signature {
            Signature::Unsigned => Signer::Unsigned,
            Signature::OtherFormat => Signer::OtherFormat,
            Signature::Ssh {
                fingerprint,
                verified: false,
                ..
            } => Signer::Invalid {
                fingerprint: Some(fingerprint.clone()),
            },
            Signature::Unreadable => Signer::Invalid { fingerprint: None },
            Signature::Ssh {
                fingerprint, key, ..
            } => match self.owners.get(key) {
                Some(person) => Signer::Verified {
                    name: person.name.value.clone(),
                    fingerprint: fingerprint.clone(),
                },
                None => Signer::UnknownKey {
                    fingerprint: fingerprint.clone(),
                },
            },
        }
    }

    /// Whether a verified signature's key belongs to someone allowed to change a town's
    /// sheet: an inspector of its group, or the office.
    pub fn allowed(&self, signature: &Signature, group: Option<&Group>, office: &[Person]) -> bool {
        let Signature::Ssh { key, .. } = signature else {
            return false;
        };
        let holds = |p: &Person| p.keys.iter().any(|k| &k.value.data == key);
        office.iter().any(holds) || group.is_some_and(|g| g.inspectors().any(holds))
    }
}

/// The signer of every commit of the trail, in its order; `None` when nobody lists a key and
/// the campaign does not require signing.
pub fn signers(content: &Content, history: &History) -> Option<Vec<Signer>> {
    let keys = Keys::new(content);
    keys.in_use.then(|| {
        history
            .commits
            .iter()
            .map(|c| keys.signer(&c.signature))
            .collect()
    })
}
