//! Any bytes, read as an archive of changes to the example campaign, go through every stage
//! of `ducha build`: a panic, an error that would stop the command, or a fault in what it
//! made is a bug.

#![no_main]

use std::sync::{Arc, LazyLock};

use ducha::source::Memory;
use libfuzzer_sys::fuzz_target;

static BASE: LazyLock<Memory> = LazyLock::new(ducha::pipeline::example);

fuzz_target!(|archive: &[u8]| {
    let campaign = ducha::pipeline::unpack(&BASE, archive);
    match ducha::pipeline::build_in_memory(Arc::new(campaign)) {
        Ok(built) => {
            let faults = built.faults();
            assert!(faults.is_empty(), "{faults:#?}");
        }
        Err(e) => panic!("the build could not run on content: {e:#}"),
    }
});
