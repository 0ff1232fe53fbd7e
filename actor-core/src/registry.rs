//! The registry: find an actor by name (Erlang's `register`/`whereis`).
//!
//! Each [`System`](crate::System) has one [`Registry`], reached with
//! [`System::registry`](crate::System::registry) (from inside an actor:
//! `ctx.system().registry()`). The rules:
//!
//! - **Typed lookup.** [`lookup::<A>`](Registry::lookup) returns
//!   `Ok(Some(ActorRef<A>))`, or `Ok(None)` when nothing usable is registered
//!   under the name. Asking for the wrong actor type is
//!   [`RegistryError::WrongType`], never a panic.
//! - **On stop.** An entry disappears when its actor ends, whatever the
//!   reason (normal stop, error, panic, kill, shutdown). It is removed before
//!   anyone learns of the exit: before [`wait_for_stop`](crate::ActorRef::wait_for_stop)
//!   returns, before monitors get their [`Down`](crate::Down) and linked
//!   actors their exit signal, so whoever reacts to the exit can register a
//!   replacement under the same name. From the moment the actor stops taking
//!   messages (a stop was requested, or its last handle dropped), lookups
//!   already return `None`.
//! - **Restarts.** A child restarted by its supervisor keeps its
//!   [`ActorRef`] (see [`supervision`](crate::supervision)), so its entry
//!   stays and keeps working; only its final exit removes it.
//! - **Duplicates.** A name held by another actor is
//!   [`RegistryError::NameTaken`]. Registering the same actor under the same
//!   name again succeeds and changes nothing, so a supervised child may
//!   register itself in [`Actor::started`], which runs
//!   again on every restart. One actor may hold several names.
//! - **Names** are validated: not empty, at most [`MAX_NAME_LEN`] bytes, no
//!   control characters, no leading or trailing whitespace
//!   ([`RegistryError::InvalidName`]).
//! - **No keep-alive.** The registry holds its actors weakly: an actor whose
//!   last [`ActorRef`] (and [`Recipient`](crate::Recipient)) is dropped stops
//!   as usual, and its entry goes with it.
//!
//! The name a registry gives an actor is independent of the name in
//! [`SpawnOptions::name`](crate::SpawnOptions::name), which only labels logs.
//!
//! # Example
//!
//! ```
//! use actor_core::prelude::*;
//!
//! struct Db;
//! impl Actor for Db {
//!     type Msg = ReplyPort<&'static str>;
//!     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
//!         ctx.system().registry().register("db", &ctx.myself())?;
//!         Ok(())
//!     }
//!     async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         let _ = reply.send("rows");
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let db = system.spawn(Db).await?;
//!
//! let found = system.registry().lookup::<Db>("db")?.expect("registered in started");
//! assert_eq!(found.ask(|reply| reply).await?, "rows");
//!
//! db.stop();
//! db.wait_for_stop().await;
//! assert!(system.registry().lookup::<Db>("db")?.is_none()); // gone with the actor
//! # Ok(())
//! # }
//! ```

use std::any::Any;
use std::collections::{HashMap, hash_map};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak};

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::error::RegistryError;
use crate::id::ActorId;
use crate::runtime::cell::Cell;

/// The longest name a [`Registry`] (or a named [group](crate::group)) accepts,
/// in bytes.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::error::RegistryError;
/// use actor_core::registry::MAX_NAME_LEN;
/// # struct Idle;
/// # impl Actor for Idle {
/// #     type Msg = ();
/// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let idle = system.spawn(Idle).await?;
/// system.registry().register(&"x".repeat(MAX_NAME_LEN), &idle)?;
/// let err = system.registry().register(&"x".repeat(MAX_NAME_LEN + 1), &idle).unwrap_err();
/// assert!(matches!(err, RegistryError::InvalidName { .. }));
/// # Ok(())
/// # }
/// ```
pub const MAX_NAME_LEN: usize = 255;

/// Why `name` is not a valid registry or group name, if it is not.
pub(crate) fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        Err("a name must not be empty")
    } else if name.len() > MAX_NAME_LEN {
        Err("a name must be at most 255 bytes long")
    } else if name.chars().any(char::is_control) {
        Err("a name must not contain control characters")
    } else if name.trim() != name {
        Err("a name must not start or end with whitespace")
    } else {
        Ok(())
    }
}

/// A system's name → actor directory. Cheap to clone; all clones are the same
/// registry. See the [module docs](crate::registry) for the rules.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// # struct Cache;
/// # impl Actor for Cache {
/// #     type Msg = ();
/// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let registry = system.registry();
/// let cache = system.spawn(Cache).await?;
/// registry.register("cache", &cache)?;
/// assert_eq!(registry.lookup::<Cache>("cache")?, Some(cache));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct Registry {
    shared: Arc<RwLock<State>>,
}

#[derive(Default)]
struct State {
    by_name: HashMap<Box<str>, Entry>,
    /// The names each registered actor holds. An actor is a key from its
    /// first registration to its exit, while its exit hook is installed,
    /// even if it unregistered every name meanwhile (one hook per actor).
    by_actor: HashMap<ActorId, Vec<Box<str>>>,
}

struct Entry {
    id: ActorId,
    type_name: &'static str,
    /// A `WeakHandle<A>` for the actor's type `A`.
    actor: Box<dyn Any + Send + Sync>,
}

/// A weak handle typed by the actor (not only by its message type, which two
/// actor types may share).
///
/// Not [`WeakActorRef`](crate::WeakActorRef): its `upgrade` builds the strong
/// handle before knowing whether the upgrade succeeds, and dropping it on
/// failure decrements the mailbox's sender count below zero (a core bug,
/// reported). This upgrade builds the handle only on success.
struct WeakHandle<A: Actor> {
    cell: Weak<Cell<A::Msg>>,
    actor: PhantomData<fn() -> A>,
}

impl<A: Actor> WeakHandle<A> {
    fn new(actor: &ActorRef<A>) -> WeakHandle<A> {
        WeakHandle {
            cell: Arc::downgrade(&actor.cell),
            actor: PhantomData,
        }
    }

    /// A strong handle, if the actor still takes messages.
    fn upgrade(&self) -> Option<ActorRef<A>> {
        let cell = self.cell.upgrade()?;
        if !cell.mailbox.try_add_sender() {
            return None;
        }
        // Counted as a sender above.
        let actor = ActorRef { cell };
        actor.is_alive().then_some(actor)
    }
}

impl Registry {
    pub(crate) fn new() -> Registry {
        Registry::default()
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.shared.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.shared.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `actor` under `name` until it ends or is
    /// [unregistered](Registry::unregister).
    ///
    /// Registering the same actor under the same name again is a success that
    /// changes nothing.
    ///
    /// # Errors
    ///
    /// - [`RegistryError::InvalidName`] if the name is empty, too long, or has
    ///   control characters or surrounding whitespace;
    /// - [`RegistryError::NameTaken`] if another actor holds the name;
    /// - [`RegistryError::Stopped`] if the actor no longer takes messages.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    /// use actor_core::error::RegistryError;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let (first, second) = (system.spawn(Idle).await?, system.spawn(Idle).await?);
    /// system.registry().register("idle", &first)?;
    /// system.registry().register("idle", &first)?; // the same actor again: fine
    /// let err = system.registry().register("idle", &second).unwrap_err();
    /// assert!(matches!(err, RegistryError::NameTaken { holder, .. } if holder == first.id()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn register<A: Actor>(&self, name: &str, actor: &ActorRef<A>) -> Result<(), RegistryError> {
        check_name(name).map_err(|problem| RegistryError::InvalidName {
            name: name.to_owned(),
            problem,
        })?;
        let id = actor.id();
        if !actor.is_alive() {
            return Err(RegistryError::Stopped(id));
        }
        let needs_hook = {
            let mut state = self.write();
            if let Some(entry) = state.by_name.get(name) {
                return if entry.id == id {
                    Ok(())
                } else {
                    Err(RegistryError::NameTaken {
                        name: name.to_owned(),
                        holder: entry.id,
                    })
                };
            }
            state.by_name.insert(
                name.into(),
                Entry {
                    id,
                    type_name: std::any::type_name::<A>(),
                    actor: Box::new(WeakHandle::new(actor)),
                },
            );
            // The first name since the actor's exit hook was installed, if
            // ever: the key is there from the first registration to the exit.
            match state.by_actor.entry(id) {
                hash_map::Entry::Vacant(slot) => {
                    slot.insert(vec![name.into()]);
                    true
                }
                hash_map::Entry::Occupied(mut slot) => {
                    slot.get_mut().push(name.into());
                    false
                }
            }
        };
        if needs_hook {
            // Outside the lock: an actor that already ended runs the hook at
            // once, and the hook takes the lock.
            let shared = Arc::downgrade(&self.shared);
            actor
                .cell
                .core
                .on_exit(Box::new(move |id, _| remove_actor(&shared, id)));
        }
        Ok(())
    }

    /// Removes `name` and returns the actor that held it.
    ///
    /// # Errors
    ///
    /// [`RegistryError::NotRegistered`] if no actor holds the name.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// system.registry().register("idle", &idle)?;
    /// assert_eq!(system.registry().unregister("idle")?, idle.id());
    /// assert!(system.registry().unregister("idle").is_err());
    /// assert!(idle.is_alive()); // unregistering does not stop the actor
    /// # Ok(())
    /// # }
    /// ```
    pub fn unregister(&self, name: &str) -> Result<ActorId, RegistryError> {
        let mut state = self.write();
        let Some(entry) = state.by_name.remove(name) else {
            return Err(RegistryError::NotRegistered(name.to_owned()));
        };
        if let Some(names) = state.by_actor.get_mut(&entry.id) {
            names.retain(|held| &**held != name);
        }
        Ok(entry.id)
    }

    /// The actor registered under `name`, as an `ActorRef<A>`.
    ///
    /// `Ok(None)` if nothing is registered under the name, or if the actor
    /// registered there no longer takes messages (it is stopping; its entry
    /// goes when it has ended).
    ///
    /// # Errors
    ///
    /// [`RegistryError::WrongType`] if the actor registered under `name` is
    /// not an `A`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    /// use actor_core::error::RegistryError;
    /// # struct Cache;
    /// # impl Actor for Cache {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # struct Other;
    /// # impl Actor for Other {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let cache = system.spawn(Cache).await?;
    /// system.registry().register("cache", &cache)?;
    ///
    /// assert_eq!(system.registry().lookup::<Cache>("cache")?, Some(cache));
    /// assert_eq!(system.registry().lookup::<Cache>("nothing here")?, None);
    /// let err = system.registry().lookup::<Other>("cache").unwrap_err();
    /// assert!(matches!(err, RegistryError::WrongType { .. }));
    /// # Ok(())
    /// # }
    /// ```
    pub fn lookup<A: Actor>(&self, name: &str) -> Result<Option<ActorRef<A>>, RegistryError> {
        let state = self.read();
        let Some(entry) = state.by_name.get(name) else {
            return Ok(None);
        };
        match entry.actor.downcast_ref::<WeakHandle<A>>() {
            Some(weak) => Ok(weak.upgrade()),
            None => Err(RegistryError::WrongType {
                name: name.to_owned(),
                expected: std::any::type_name::<A>(),
                actual: entry.type_name,
            }),
        }
    }

    /// The id of the actor registered under `name`, whatever its type
    /// (Erlang's `whereis`).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// system.registry().register("idle", &idle)?;
    /// assert_eq!(system.registry().whereis("idle"), Some(idle.id()));
    /// assert_eq!(system.registry().whereis("busy"), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn whereis(&self, name: &str) -> Option<ActorId> {
        self.read().by_name.get(name).map(|entry| entry.id)
    }

    /// The registered names, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// system.registry().register("b", &idle)?;
    /// system.registry().register("a", &idle)?; // one actor, two names
    /// assert_eq!(system.registry().names(), ["a", "b"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.read().by_name.keys().map(|name| name.to_string()).collect();
        names.sort_unstable();
        names
    }

    /// How many names are registered.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::System::new().registry().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.read().by_name.len()
    }

    /// Whether no name is registered.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::System::new().registry().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.read().by_name.is_empty()
    }
}

/// The exit hook: drops every name `id` holds.
fn remove_actor(shared: &Weak<RwLock<State>>, id: ActorId) {
    let Some(shared) = shared.upgrade() else {
        return; // the system is gone
    };
    let mut state = shared.write().unwrap_or_else(PoisonError::into_inner);
    let Some(names) = state.by_actor.remove(&id) else {
        return;
    };
    for name in names {
        if state.by_name.get(&name).is_some_and(|entry| entry.id == id) {
            state.by_name.remove(&name);
        }
    }
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry").field("names", &self.len()).finish()
    }
}
