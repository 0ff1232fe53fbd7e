//! Checks that an `#[actor]` block makes sense, before any code is generated.
//!
//! Every mistake becomes one `syn::Error` pointing at the offending tokens;
//! all of them are collected and reported together. A handler with a mistake
//! is marked invalid and left out of the generated code, so the user sees the
//! one error we wrote and not a cascade of follow-on errors from the compiler.

use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::{FnArg, GenericParam, Item, Pat, ReturnType, Type, Visibility};

use crate::ast::{Actor, Handler, Output};

/// The error for `#[actor]` on anything but an inherent impl block.
pub(crate) fn not_an_inherent_impl(item: &Item) -> syn::Error {
    const HINT: &str =
        "`#[actor]` goes on the actor's inherent impl block, as in `#[actor] impl Counter { ... }`";
    match item {
        Item::Impl(imp) => match &imp.trait_ {
            Some((_, path, for_token)) => syn::Error::new(
                path.span().join(for_token.span).unwrap_or_else(|| path.span()),
                format!("{HINT}, not on a trait impl"),
            ),
            None => syn::Error::new(imp.impl_token.span, HINT),
        },
        Item::Struct(item) => syn::Error::new(item.struct_token.span, HINT),
        Item::Enum(item) => syn::Error::new(item.enum_token.span, HINT),
        Item::Fn(item) => syn::Error::new(item.sig.fn_token.span, HINT),
        Item::Trait(item) => syn::Error::new(item.trait_token.span, HINT),
        other => syn::Error::new_spanned(other, HINT),
    }
}

/// Checks the block and each handler, marking bad handlers invalid and
/// pushing one error per mistake.
pub(crate) fn check(actor: &mut Actor, errors: &mut Vec<syn::Error>) {
    for param in &actor.item.generics.params {
        if let GenericParam::Lifetime(lifetime) = param {
            errors.push(syn::Error::new_spanned(
                lifetime,
                "an actor is `'static` and cannot have lifetime parameters",
            ));
        }
    }
    for handler in &mut actor.handlers {
        let before = errors.len();
        check_handler(handler, errors);
        handler.valid = errors.len() == before;
    }
    check_duplicates(actor, errors);
}

/// `ActorRef`'s own methods (and those of the traits it implements): a
/// handle method of the same name would never be called, since an inherent
/// method wins.
const HANDLE_METHODS: &[&str] = &[
    "ask",
    "ask_timeout",
    "capacity",
    "clone",
    "downgrade",
    "eq",
    "exit_reason",
    "fmt",
    "hash",
    "id",
    "is_alive",
    "kill",
    "mailbox_len",
    "name",
    "ne",
    "recipient",
    "stop",
    "tell",
    "try_tell",
    "wait_for_stop",
];

fn check_handler(handler: &Handler, errors: &mut Vec<syn::Error>) {
    let sig = &handler.method.sig;
    let name = sig.ident.to_string();
    if HANDLE_METHODS.contains(&name.as_str()) {
        errors.push(syn::Error::new(
            sig.ident.span(),
            format!("a handler cannot be named `{name}`: `ActorRef::{name}` would hide it on the handle"),
        ));
    }
    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => {
            if receiver.reference.is_none() || receiver.colon_token.is_some() {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    "a handler borrows the actor: take `&self` or `&mut self`",
                ));
            }
        }
        _ => errors.push(syn::Error::new(
            sig.ident.span(),
            "a handler is a method: its first parameter is `&self` or `&mut self`",
        )),
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new_spanned(
            &sig.generics,
            "a handler cannot be generic: its message needs concrete types (use a concrete type, \
             or `Box<dyn Trait + Send>`)",
        ));
    }
    if let Some(unsafety) = &sig.unsafety {
        errors.push(syn::Error::new(
            unsafety.span,
            "a handler cannot be an `unsafe fn`",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            "a handler cannot have an `extern` ABI",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(variadic, "a handler cannot be variadic"));
    }
    let mut context_seen = false;
    for param in &handler.params {
        if param.is_context {
            if context_seen {
                errors.push(syn::Error::new_spanned(
                    &param.ty,
                    "a handler takes the context at most once",
                ));
            }
            context_seen = true;
            continue;
        }
        if let Some(err) = param_type_error(&param.ty) {
            errors.push(err);
        } else if param.name.is_none() {
            errors.push(syn::Error::new_spanned(
                &param.pat,
                "give this parameter a plain name: it names the field of the message",
            ));
        } else if matches!(&param.pat, Pat::Ident(pat) if pat.by_ref.is_some()) {
            errors.push(syn::Error::new_spanned(
                &param.pat,
                "a handler parameter cannot be `ref`",
            ));
        }
    }
    if let ReturnType::Type(_, ty) = &sig.output
        && let Type::ImplTrait(_) = &**ty
    {
        errors.push(syn::Error::new_spanned(
            ty,
            "a handler returns a concrete type: the reply is sent back through a channel",
        ));
    }
    if let Some(span) = handler.args.stop_on_error
        && !matches!(handler.output, Output::Fallible { .. })
    {
        errors.push(syn::Error::new(
            span,
            "`stop_on_error` needs a handler that returns `Result<T, E>`",
        ));
    }
}

/// The error for a parameter type a message cannot carry, if any.
fn param_type_error(ty: &Type) -> Option<syn::Error> {
    match ty {
        Type::Reference(_) => Some(syn::Error::new_spanned(
            ty,
            "a handler parameter is sent to the actor and must be owned: take `String` for `&str`, \
             `Vec<T>` for `&[T]`, `T` for `&T` (only the context may be borrowed: `&mut Context<Self>`)",
        )),
        Type::ImplTrait(_) => Some(syn::Error::new_spanned(
            ty,
            "`impl Trait` parameters are not supported: the message needs a concrete type (use one, \
             or `Box<dyn Trait + Send>`)",
        )),
        Type::Paren(inner) => param_type_error(&inner.elem),
        Type::Group(inner) => param_type_error(&inner.elem),
        _ => None,
    }
}

/// Two handlers may not make the same variant (`add` twice, or `fetch_user`
/// and `fetchUser`). The later one is reported and dropped from the
/// expansion, and from the impl block, so the compiler does not report the
/// duplicate method a second time.
fn check_duplicates(actor: &mut Actor, errors: &mut Vec<syn::Error>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut dropped = Vec::new();
    for handler in &mut actor.handlers {
        let variant = handler.variant.to_string();
        let name = handler.name().to_string();
        match seen.get(&variant) {
            Some(first) if *first == name => {
                errors.push(syn::Error::new(
                    handler.span(),
                    format!("a handler named `{name}` is already defined in this block"),
                ));
                handler.valid = false;
                dropped.push(handler.index);
            }
            Some(first) => {
                errors.push(syn::Error::new(
                    handler.span(),
                    format!("handlers `{first}` and `{name}` would both be message variant `{variant}`; rename one"),
                ));
                handler.valid = false;
            }
            None => {
                seen.insert(variant, name);
            }
        }
    }
    // Highest index first, so the others stay put.
    dropped.sort_unstable_by(|a, b| b.cmp(a));
    for index in dropped {
        actor.item.items.remove(index);
    }
}

/// The visibility of the message enum and the handle trait: `vis = ...`, or
/// `pub`. Not the handlers' visibility: `impl Actor for Counter` names the
/// enum as its `Msg`, and a trait impl's associated type must be at least as
/// visible as the actor type (E0446), which the macro cannot see. `pub`
/// always compiles; inside a private module it is as private as the module.
pub(crate) fn generated_vis(actor: &Actor) -> Visibility {
    actor.args.vis.clone().unwrap_or_else(|| syn::parse_quote!(pub))
}
