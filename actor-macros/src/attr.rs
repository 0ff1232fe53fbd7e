//! Parsing of the macros' own arguments: `#[actor(...)]` and
//! `#[handler(...)]`.
//!
//! Both are optional, comma-separated `key` or `key = value` lists:
//!
//! - `#[actor(crate = path, vis = pub(crate), message = Name, handle = Name)]`
//! - `#[handler(stop_on_error)]`
//!
//! Unknown keys and repeated keys are errors pointing at the key.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Meta, Path, Token, Visibility};

/// The arguments of `#[actor(...)]`.
#[derive(Default)]
pub(crate) struct ActorArgs {
    /// `crate = path`: where `actor_core` is, for crates that rename it.
    pub(crate) krate: Option<Path>,
    /// `vis = ...`: the visibility of the message enum and handle trait.
    pub(crate) vis: Option<Visibility>,
    /// `message = Name`: the message enum's name.
    pub(crate) message: Option<Ident>,
    /// `handle = Name`: the handle trait's name.
    pub(crate) handle: Option<Ident>,
}

impl ActorArgs {
    /// Parses the tokens inside `#[actor(...)]`.
    pub(crate) fn parse(tokens: TokenStream) -> syn::Result<ActorArgs> {
        Parser::parse2(|input: ParseStream<'_>| parse_actor_args(input), tokens)
    }
}

fn parse_actor_args(input: ParseStream<'_>) -> syn::Result<ActorArgs> {
    let mut args = ActorArgs::default();
    while !input.is_empty() {
        // `crate` is a keyword, so it is not an `Ident` to syn.
        let key = if input.peek(Token![crate]) {
            let token: Token![crate] = input.parse()?;
            Ident::new("crate", token.span)
        } else {
            input.parse()?
        };
        input.parse::<Token![=]>()?;
        match key.to_string().as_str() {
            "crate" => set(&mut args.krate, &key, input.parse()?)?,
            "vis" => set(&mut args.vis, &key, input.parse()?)?,
            "message" => set(&mut args.message, &key, input.parse()?)?,
            "handle" => set(&mut args.handle, &key, input.parse()?)?,
            _ => {
                return Err(syn::Error::new(
                    key.span(),
                    "unknown `#[actor]` argument; expected `crate`, `vis`, `message` or `handle`",
                ));
            }
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(args)
}

/// Stores `value` in `slot`, refusing a second one.
fn set<T>(slot: &mut Option<T>, key: &Ident, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(key.span(), format!("`{key}` is given twice")));
    }
    *slot = Some(value);
    Ok(())
}

/// The arguments of one `#[handler(...)]`.
#[derive(Default)]
pub(crate) struct HandlerArgs {
    /// `stop_on_error`: an `Err` from this handler stops the actor.
    pub(crate) stop_on_error: Option<Span>,
}

impl HandlerArgs {
    /// Parses the arguments of a `#[handler]` attribute (none, or a list).
    pub(crate) fn from_attr(attr: &Attribute) -> syn::Result<HandlerArgs> {
        let mut args = HandlerArgs::default();
        let list = match &attr.meta {
            Meta::Path(_) => return Ok(args),
            Meta::List(list) => list,
            Meta::NameValue(meta) => {
                return Err(syn::Error::new_spanned(
                    meta,
                    "expected `#[handler]` or `#[handler(stop_on_error)]`",
                ));
            }
        };
        let keys = list.parse_args_with(Punctuated::<Ident, Token![,]>::parse_terminated)?;
        for key in keys {
            if key != "stop_on_error" {
                return Err(syn::Error::new(
                    key.span(),
                    "unknown `#[handler]` argument; expected `stop_on_error`",
                ));
            }
            if args.stop_on_error.is_some() {
                return Err(syn::Error::new(key.span(), "`stop_on_error` is given twice"));
            }
            args.stop_on_error = Some(key.span());
        }
        Ok(args)
    }
}

/// The argument `#[actor]` gives the `#[handler]` attributes it has read:
/// `#[handler]` then expands to the method unchanged. Any other use of
/// `#[handler]` is outside an `#[actor]` block, and an error.
pub(crate) const CHECKED: &str = "__checked_by_actor";

/// Replaces the arguments of a `#[handler]` with [`CHECKED`], keeping the
/// path as the user wrote it (so it resolves as the user imported it).
pub(crate) fn mark_checked(attr: &mut Attribute) {
    let path = attr.path().clone();
    let checked = Ident::new(CHECKED, Span::call_site());
    attr.meta = syn::parse_quote!(#path(#checked));
}

/// Whether a `#[handler(...)]`'s arguments are the [`CHECKED`] mark.
pub(crate) fn is_checked(args: &TokenStream) -> bool {
    let mut tokens = args.clone().into_iter();
    matches!((tokens.next(), tokens.next()), (Some(proc_macro2::TokenTree::Ident(ident)), None) if ident == CHECKED)
}

/// Whether `attr` is `#[handler]` (or a path ending in `handler`, such as
/// `#[actor_core::handler]`).
pub(crate) fn is_handler(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|last| last.ident == "handler")
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn actor_args_parse_every_key() {
        let args = ActorArgs::parse(quote!(crate = ::my_core, vis = pub(crate), message = M, handle = H));
        let args = args.unwrap_or_default();
        assert!(args.krate.is_some() && args.vis.is_some());
        assert_eq!(args.message.map(|m| m.to_string()).as_deref(), Some("M"));
        assert_eq!(args.handle.map(|h| h.to_string()).as_deref(), Some("H"));
    }

    #[test]
    fn actor_args_reject_unknown_and_repeated_keys() {
        assert!(ActorArgs::parse(quote!(colour = red)).is_err());
        assert!(ActorArgs::parse(quote!(message = A, message = B)).is_err());
    }
}
