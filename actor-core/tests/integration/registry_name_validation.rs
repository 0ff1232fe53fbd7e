//! Promise: names are validated before anything is registered: empty, longer
//! than `MAX_NAME_LEN` bytes, control characters and surrounding whitespace
//! are `InvalidName`; anything else (spaces inside, any script) is fine.
#![allow(clippy::unwrap_used)]

use crate::common::idle::Idle;
use actor_core::RegistryError;
use actor_core::prelude::*;
use actor_core::registry::MAX_NAME_LEN;

#[tokio::test]
async fn bad_names_are_refused_good_ones_accepted() {
    let system = System::new();
    let registry = system.registry();
    let idle = system.spawn(Idle).await.unwrap();

    let too_long = "n".repeat(MAX_NAME_LEN + 1);
    for bad in ["", " db", "db ", "d\nb", "d\u{0}b", "\t", too_long.as_str()] {
        let err = registry.register(bad, &idle).unwrap_err();
        assert!(
            matches!(&err, RegistryError::InvalidName { name, .. } if name == bad),
            "{bad:?}: {err:?}"
        );
    }
    assert!(registry.is_empty());

    let longest = "n".repeat(MAX_NAME_LEN);
    for good in ["db", "user db", "база", "a.b/c:d", longest.as_str()] {
        registry.register(good, &idle).unwrap();
    }
    assert_eq!(registry.len(), 5);
}
