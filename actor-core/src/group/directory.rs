//! [`Groups`]: a system's directory of named groups.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use crate::error::GroupError;
use crate::group::Group;
use crate::registry::check_name;

/// A system's directory of named groups, each typed by its message. Cheap to
/// clone; all clones are the same directory.
///
/// # Examples
///
/// ```
/// use actor_core::System;
///
/// let system = System::new();
/// let a = system.groups().group::<u32>("workers")?;
/// let b = system.groups().group::<u32>("workers")?;
/// assert_eq!(a.len(), b.len()); // the same group
/// assert_eq!(system.groups().names(), ["workers"]);
/// # Ok::<(), actor_core::error::GroupError>(())
/// ```
#[derive(Clone, Default)]
pub struct Groups {
    shared: Arc<RwLock<HashMap<Box<str>, Named>>>,
}

struct Named {
    type_name: &'static str,
    /// A `Group<T>` for the group's message type `T`.
    group: Box<dyn Any + Send + Sync>,
}

impl Groups {
    pub(crate) fn new() -> Groups {
        Groups::default()
    }

    /// The group called `name`, made empty on first use.
    ///
    /// # Errors
    ///
    /// - [`GroupError::InvalidName`] if the name breaks the
    ///   [registry's rules](crate::registry);
    /// - [`GroupError::WrongType`] if a group of this name carries another
    ///   message type.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::System;
    /// use actor_core::error::GroupError;
    ///
    /// let system = System::new();
    /// let workers = system.groups().group::<u32>("workers")?;
    /// assert!(workers.is_empty());
    /// assert!(matches!(system.groups().group::<u32>(""), Err(GroupError::InvalidName { .. })));
    /// # Ok::<(), GroupError>(())
    /// ```
    pub fn group<T: Send + 'static>(&self, name: &str) -> Result<Group<T>, GroupError> {
        check_name(name).map_err(|problem| GroupError::InvalidName {
            name: name.to_owned(),
            problem,
        })?;
        if let Some(named) = self
            .shared
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
        {
            return typed(name, named);
        }
        let mut groups = self.shared.write().unwrap_or_else(PoisonError::into_inner);
        let named = groups.entry(name.into()).or_insert_with(|| Named {
            type_name: std::any::type_name::<T>(),
            group: Box::new(Group::<T>::with_name(Some(name.into()))),
        });
        typed(name, named)
    }

    /// The names of the groups made so far, sorted.
    ///
    /// # Examples
    ///
    /// See [`Groups`].
    pub fn names(&self) -> Vec<String> {
        let groups = self.shared.read().unwrap_or_else(PoisonError::into_inner);
        let mut names: Vec<String> = groups.keys().map(|name| name.to_string()).collect();
        names.sort_unstable();
        names
    }
}

/// `named` as a `Group<T>`, or the type mismatch.
fn typed<T: Send + 'static>(name: &str, named: &Named) -> Result<Group<T>, GroupError> {
    match named.group.downcast_ref::<Group<T>>() {
        Some(group) => Ok(group.clone()),
        None => Err(GroupError::WrongType {
            name: name.to_owned(),
            expected: std::any::type_name::<T>(),
            actual: named.type_name,
        }),
    }
}

impl fmt::Debug for Groups {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups = self.shared.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Groups").field("groups", &groups.len()).finish()
    }
}
