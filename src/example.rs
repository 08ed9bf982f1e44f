//! The example campaign that ships with ducha (the repository's own `content/`), compiled in:
//! what `init --example` writes and what the in-memory pipeline starts from.

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/example.rs"));
}

/// The example's files, by path relative to `content/`.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    embedded::EXAMPLE
}
