//! Proc macros for `actor-core`: `#[actor]` turns the `#[handler]` methods of
//! an impl block into a message enum, its dispatch and a typed handle.
//!
//! Use them through `actor_core`'s re-exports (`actor_core::actor`,
//! `actor_core::handler`, both in `actor_core::prelude`); the user guide is
//! on [`actor`].
//!
//! The crate is split like thiserror's: this file only parses the input and
//! hands it on; `attr` parses the macros' arguments, `ast` sorts the impl
//! block into handlers, `valid` checks them (collecting every mistake), and
//! `expand` writes the code.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::ToTokens;
use syn::Item;

mod ast;
mod attr;
mod expand;
mod valid;

#[cfg(test)]
mod tests;

/// Turns an inherent impl block into an actor: each `#[handler]` method
/// becomes a message, handled in order, one at a time.
///
/// ```
/// use actor_core::prelude::*;
///
/// #[derive(Default)]
/// pub struct Counter {
///     total: u64,
/// }
///
/// #[actor]
/// impl Counter {
///     /// Adds `n` to the total.
///     #[handler]
///     pub fn add(&mut self, n: u64) {
///         self.total += n;
///     }
///
///     /// The current total.
///     #[handler]
///     pub fn total(&self) -> u64 {
///         self.total
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let counter = system.spawn(Counter::default()).await?;
/// counter.add(5).await?; // a tell: returns once the message is queued
/// assert_eq!(counter.total().await?, 5); // an ask: waits for the reply
/// # Ok(())
/// # }
/// ```
///
/// # What it generates
///
/// Beside the block (kept as written, so the methods stay callable):
///
/// - **`CounterMsg`**, the message enum: one variant per handler, named in
///   `UpperCamelCase` (`add_item` → `AddItem`), with the handler's docs and
///   one field per parameter. A handler that returns a value `R` (or a
///   `Result`) also gets `reply: Option<ReplyPort<R>>`; one that returns
///   nothing gets no reply field (`CounterMsg::Add { n }`), so a tell is as
///   small as a hand-written message, and its `.ask()` travels in a hidden
///   `__Ack` variant that boxes the message with the port (one allocation
///   per such ask). `CounterMsg::name()` gives the handler's name for logs;
///   its `Debug` prints the variant only.
/// - **`impl Actor for Counter`**: `type Msg = CounterMsg` and a `handle`
///   that is one exhaustive `match` calling the handler (no boxing, no
///   allocation per message).
/// - **`CounterHandle`**, a trait implemented for `ActorRef<Counter>`: one
///   method per handler with its parameters. Import it where you call them.
///
/// Nothing else is added to your module.
///
/// # Calls
///
/// | the handler returns | `actor.handler(..)` is | `.await` gives | also |
/// |---|---|---|---|
/// | nothing | `Tell` (a tell) | `Result<(), SendError<M>>` | `.ask()` waits until it ran; `.try_tell()` |
/// | `T` | `Ask` (an ask) | `Result<T, AskError<M>>` | `.timeout(d)`; `.tell()` drops the reply |
/// | `Result<T, E>` | `Call` | `Result<T, CallError<E, M>>` | `.timeout(d)`; `.tell()` |
///
/// Asks wait `DEFAULT_ASK_TIMEOUT` (5 s) unless given `.timeout(d)`. A handler's
/// `Err(e)` reaches an asker as `CallError::Handler(e)`, apart from the
/// framework's errors in `CallError::Ask`. `Result` is recognised by its
/// name and two type arguments; a one-argument alias such as `io::Result<T>`
/// is a plain value.
///
/// # Handlers
///
/// - take `&self` or `&mut self`, then owned parameters (they travel in the
///   message: no references, no `impl Trait`, no generic parameters);
/// - may be `async`, and may take the context, `ctx: &mut Context<Self>`,
///   anywhere in their parameters (it is not part of the message);
/// - may return anything `Send`.
///
/// Errors of a told handler (nobody is waiting for them) are logged at
/// WARN (`E: Debug`). With `#[handler(stop_on_error)]`, an `Err` stops the
/// actor with `ExitReason::Failed` instead, whether told or asked (an
/// asker still gets the error; `E: Display + Into<BoxError>`).
///
/// # Lifecycle hooks
///
/// The macro writes the `impl Actor`, so hooks go in the block: a method
/// that is not a handler and is named `started`, `run` or `stopped`, written
/// with that hook's signature, becomes the hook.
///
/// ```
/// use actor_core::prelude::*;
///
/// #[derive(Default)]
/// pub struct Worker {
///     jobs: u32,
/// }
///
/// #[actor]
/// impl Worker {
///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         tracing::info!(actor.id = %ctx.id(), "ready");
///         Ok(())
///     }
///
///     async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
///         tracing::info!(jobs = self.jobs, %reason, "done");
///     }
///
///     /// Does one job.
///     #[handler]
///     pub fn work(&mut self) {
///         self.jobs += 1;
///     }
/// }
/// ```
///
/// # Arguments
///
/// `#[actor(crate = path, vis = pub(crate), message = Name, handle = Name)]`,
/// all optional:
///
/// - `crate`: where `actor_core` is, if your crate renames it;
/// - `vis`: the visibility of the enum and the trait (default `pub`: the
///   enum is the actor's `Msg`, so it must be as visible as the actor type;
///   narrow it to the actor's own visibility, as in `vis = pub(crate)`);
/// - `message`, `handle`: their names (default `{Actor}Msg`, `{Actor}Handle`).
///
/// Generic actors work (`#[actor] impl<T: Clone + Send + 'static> Cache<T>`):
/// the enum and the trait take the impl's generics.
#[proc_macro_attribute]
pub fn actor(args: TokenStream, item: TokenStream) -> TokenStream {
    actor_impl(args.into(), item.into()).into()
}

/// Marks a method of an `#[actor]` block as a message handler; see
/// [`actor`]. `#[handler(stop_on_error)]` makes an `Err` stop the actor.
///
/// On its own (outside an `#[actor]` block) it is an error.
///
/// ```
/// use actor_core::prelude::*;
///
/// pub struct Greeter;
///
/// #[actor]
/// impl Greeter {
///     /// Says hello.
///     #[handler]
///     pub fn greet(&self, name: String) -> String {
///         format!("hello, {name}")
///     }
/// }
/// ```
#[proc_macro_attribute]
pub fn handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = TokenStream2::from(args);
    let mut out = TokenStream2::from(item);
    if !attr::is_checked(&args) {
        let error = syn::Error::new(
            Span::call_site(),
            "`#[handler]` only works on a method inside an `#[actor]` impl block",
        );
        out.extend(error.into_compile_error());
    }
    out.into()
}

/// `#[actor]` on token streams, callable from unit tests.
pub(crate) fn actor_impl(args: TokenStream2, item: TokenStream2) -> TokenStream2 {
    let mut errors = Vec::new();
    let args = attr::ActorArgs::parse(args).unwrap_or_else(|err| {
        errors.push(err);
        attr::ActorArgs::default()
    });
    let item = match syn::parse2::<Item>(item.clone()) {
        Ok(item) => item,
        Err(err) => {
            let mut out = item;
            out.extend(err.into_compile_error());
            return out;
        }
    };
    let mut out = match item {
        Item::Impl(imp) if imp.trait_.is_none() => match ast::Actor::from_impl(imp, args, &mut errors) {
            Ok(mut actor) => {
                valid::check(&mut actor, &mut errors);
                expand::actor(&actor)
            }
            Err(imp) => imp.into_token_stream(),
        },
        mut other => {
            errors.push(valid::not_an_inherent_impl(&other));
            if let Item::Impl(imp) = &mut other {
                ast::mark_handler_attrs(imp);
            }
            other.into_token_stream()
        }
    };
    out.extend(errors.into_iter().map(syn::Error::into_compile_error));
    out
}
