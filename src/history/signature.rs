//! Git's SSH commit signatures (`gpg.format=ssh`), read and checked in-process: the `gpgsig`
//! header holds an SSH signature in namespace `git` over the commit without that header.

use serde::Serialize;
use ssh_key::public::KeyData;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// The namespace git signs commits in.
const NAMESPACE: &str = "git";
const SSH_ARMOR: &[u8] = b"-----BEGIN SSH SIGNATURE-----";

/// What a commit's signature says, before anyone is named by its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signature {
    Unsigned,
    /// Signed, but not with SSH (OpenPGP or X.509): no listed key can have made it.
    OtherFormat,
    /// An SSH signature that cannot be read: cut short, or crafted.
    Unreadable,
    /// An SSH signature by the key it names; `verified` when it holds for the commit as it is.
    Ssh {
        fingerprint: String,
        verified: bool,
        #[serde(skip)]
        key: KeyData,
    },
}

/// The signature of a commit, from the commit object's bytes.
pub fn read(raw: &[u8]) -> Signature {
    let Some((payload, armored)) = split(raw) else {
        return Signature::Unsigned;
    };
    if !armored.starts_with(SSH_ARMOR) {
        return Signature::OtherFormat;
    }
    let Ok(text) = std::str::from_utf8(armored.trim_ascii_end()) else {
        return Signature::Unreadable;
    };
    let Ok(signature) = SshSig::from_pem(text) else {
        return Signature::Unreadable;
    };
    let key = signature.public_key().clone();
    let public = PublicKey::from(key.clone());
    Signature::Ssh {
        fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
        verified: public.verify(NAMESPACE, &payload, &signature).is_ok(),
        key,
    }
}

/// The signed payload and the signature of a commit object, as git splits them: the headers
/// without `gpgsig` (and any other `gpgsig…` header) and their continuation lines, then the
/// message as it is. `None` for a commit without a `gpgsig` header.
fn split(raw: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut payload = Vec::with_capacity(raw.len());
    let mut signature = Vec::new();
    let (mut in_signature, mut in_other, mut signed) = (false, false, false);
    let mut rest = raw;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        if line[0] == b'\n' {
            // The blank line that ends the headers: the message follows, as it is.
            payload.extend_from_slice(rest);
            break;
        }
        if in_signature && line[0] == b' ' {
            signature.extend_from_slice(&line[1..]);
        } else if let Some(value) = line.strip_prefix(b"gpgsig ") {
            signature.extend_from_slice(value);
            (signed, in_signature, in_other) = (true, true, false);
        } else {
            in_signature = false;
            if line.starts_with(b"gpgsig") {
                in_other = true;
            } else if in_other && line[0] != b' ' {
                in_other = false;
            }
            if !in_other {
                payload.extend_from_slice(line);
            }
        }
        rest = &rest[end..];
    }
    signed.then_some((payload, signature))
}

/// Signs a commit object's text as `git commit -S` does with an SSH key: the armored signature
/// for its `gpgsig` header.
pub fn sign(key: &PrivateKey, commit: &str) -> Option<String> {
    let signature = key
        .sign(NAMESPACE, HashAlg::Sha512, commit.as_bytes())
        .ok()?;
    let pem = signature.to_pem(LineEnding::LF).ok()?;
    Some(pem.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssh_key::private::Ed25519Keypair;

    const COMMIT: &str = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1583020800 +0800\ncommitter A <a@x> 1583020800 +0800\n\nscore\n";

    fn key(seed: u8) -> PrivateKey {
        PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
    }

    fn signed(commit: &str, signature: &str) -> Vec<u8> {
        let (headers, message) = commit.split_once("\n\n").unwrap();
        let header = signature.replace('\n', "\n ");
        format!("{headers}\ngpgsig {header}\n\n{message}").into_bytes()
    }

    #[test]
    fn a_signature_verifies_over_the_commit_without_it() {
        let key = key(1);
        let signature = sign(&key, COMMIT).unwrap();
        let raw = signed(COMMIT, &signature);
        assert_eq!(split(&raw).unwrap().0, COMMIT.as_bytes());
        let Signature::Ssh {
            verified,
            fingerprint,
            ..
        } = read(&raw)
        else {
            panic!("not read as SSH")
        };
        assert!(verified);
        assert_eq!(
            fingerprint,
            key.public_key().fingerprint(HashAlg::Sha256).to_string()
        );
    }

    #[test]
    fn a_changed_commit_no_longer_verifies() {
        let signature = sign(&key(1), COMMIT).unwrap();
        let raw = signed(&COMMIT.replace("score", "score 10"), &signature);
        assert!(matches!(
            read(&raw),
            Signature::Ssh {
                verified: false,
                ..
            }
        ));
    }

    #[test]
    fn unsigned_and_other_formats() {
        assert_eq!(read(COMMIT.as_bytes()), Signature::Unsigned);
        // A `gpgsig` line in the message is not a header.
        let fake = format!("{COMMIT}gpgsig -----BEGIN SSH SIGNATURE-----\n");
        assert_eq!(read(fake.as_bytes()), Signature::Unsigned);
        let pgp = signed(
            COMMIT,
            "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----",
        );
        assert_eq!(read(&pgp), Signature::OtherFormat);
        let cut = signed(
            COMMIT,
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----",
        );
        assert_eq!(read(&cut), Signature::Unreadable);
    }
}
