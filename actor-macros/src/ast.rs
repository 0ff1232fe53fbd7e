//! The typed IR of an `#[actor]` block: the actor type and its handlers,
//! keeping the original syn nodes so every error can point at the user's
//! tokens.
//!
//! Building the IR only sorts the input out (which methods are handlers,
//! which parameter is the context, what the handler returns); whether it all
//! makes sense is [`valid`](crate::valid)'s job.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{
    Attribute, FnArg, GenericArgument, Ident, ImplItem, ImplItemFn, ItemImpl, Pat, PathArguments, ReturnType,
    Type,
};

use crate::attr::{self, ActorArgs, HandlerArgs};

/// One `#[actor] impl Type { ... }` block.
pub(crate) struct Actor {
    /// The impl block as written, minus the `#[handler]` attributes.
    pub(crate) item: ItemImpl,
    pub(crate) args: ActorArgs,
    /// `Counter` in `impl Counter` or `impl<T> Cache<T>`.
    pub(crate) ident: Ident,
    pub(crate) handlers: Vec<Handler>,
    /// Methods named like an `Actor` hook (`started`, `run`, `stopped`) that
    /// are not handlers: the generated `impl Actor` calls them.
    pub(crate) hooks: Vec<Ident>,
}

/// The `Actor` hooks a method of the block can stand in for.
pub(crate) const HOOKS: &[&str] = &["started", "run", "stopped"];

/// One `#[handler]` method.
pub(crate) struct Handler {
    /// The method as written, without `#[handler]` (its signature gives the
    /// error spans).
    pub(crate) method: ImplItemFn,
    /// Its position in the impl block's items.
    pub(crate) index: usize,
    /// `stop_on_error` and friends.
    pub(crate) args: HandlerArgs,
    /// The message enum's variant: the method's name in `UpperCamelCase`.
    pub(crate) variant: Ident,
    /// The parameters after the receiver, in order.
    pub(crate) params: Vec<Param>,
    pub(crate) output: Output,
    /// Set by validation: the handler is sound enough to generate code for.
    pub(crate) valid: bool,
}

/// A handler parameter.
pub(crate) struct Param {
    /// The parameter's name, which names the message field.
    pub(crate) name: Option<Ident>,
    pub(crate) ty: Type,
    /// `&mut Context<Self>` (or `&Context<..>`): filled in by the dispatch,
    /// not part of the message.
    pub(crate) is_context: bool,
    /// The pattern as written, for errors.
    pub(crate) pat: Pat,
}

/// What a handler returns.
pub(crate) enum Output {
    /// Nothing: the default call is a tell.
    Unit,
    /// A value: the default call is an ask.
    Value(Box<Type>),
    /// `Result<T, E>`: an ask whose `E` reaches the caller as itself.
    Fallible { ok: Box<Type>, err: Box<Type> },
}

impl Actor {
    /// Sorts out an inherent impl block. The `#[handler]` attributes stay on
    /// the methods, marked as checked so they expand to nothing (and a
    /// `use actor_core::handler` is not reported unused); everything else is
    /// kept as written. Gives the block back if it has no usable type name.
    pub(crate) fn from_impl(
        mut item: ItemImpl,
        args: ActorArgs,
        errors: &mut Vec<syn::Error>,
    ) -> Result<Actor, Box<ItemImpl>> {
        let ident = match &*item.self_ty {
            Type::Path(path) if path.qself.is_none() => {
                path.path.segments.last().map(|last| last.ident.clone())
            }
            _ => None,
        };
        let Some(ident) = ident else {
            errors.push(syn::Error::new_spanned(
                &item.self_ty,
                "`#[actor]` needs a named struct or enum type, as in `impl Counter { ... }`",
            ));
            mark_handler_attrs(&mut item);
            return Err(Box::new(item));
        };
        let self_ty = (*item.self_ty).clone();
        let mut handlers = Vec::new();
        let mut hooks = Vec::new();
        for (index, impl_item) in item.items.iter_mut().enumerate() {
            let ImplItem::Fn(method) = impl_item else {
                continue;
            };
            let mut marks = method.attrs.iter_mut().filter(|attr| attr::is_handler(attr));
            let Some(mark) = marks.next() else {
                if HOOKS.iter().any(|hook| method.sig.ident == hook) {
                    hooks.push(method.sig.ident.clone());
                }
                continue;
            };
            let handler_args = HandlerArgs::from_attr(mark).unwrap_or_else(|err| {
                errors.push(err);
                HandlerArgs::default()
            });
            attr::mark_checked(mark);
            for again in marks {
                errors.push(syn::Error::new_spanned(&*again, "`#[handler]` is given twice"));
                attr::mark_checked(again);
            }
            let mut method = method.clone();
            method.attrs.retain(|attr| !attr::is_handler(attr));
            handlers.push(Handler::new(method, index, handler_args, &self_ty));
        }
        Ok(Actor {
            item,
            args,
            ident,
            handlers,
            hooks,
        })
    }

    /// The actor type as written after `impl`, generics included.
    pub(crate) fn self_ty(&self) -> &Type {
        &self.item.self_ty
    }

    /// The handlers code is generated for.
    pub(crate) fn valid_handlers(&self) -> impl Iterator<Item = &Handler> {
        self.handlers.iter().filter(|handler| handler.valid)
    }
}

impl Handler {
    fn new(method: ImplItemFn, index: usize, args: HandlerArgs, self_ty: &Type) -> Handler {
        let params = method
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Receiver(_) => None,
                FnArg::Typed(typed) => {
                    let name = match &*typed.pat {
                        Pat::Ident(pat) if pat.subpat.is_none() => Some(pat.ident.clone()),
                        _ => None,
                    };
                    Some(Param {
                        name,
                        is_context: is_context(&typed.ty),
                        ty: replace_self(&typed.ty, self_ty),
                        pat: (*typed.pat).clone(),
                    })
                }
            })
            .collect();
        let output = match &method.sig.output {
            ReturnType::Default => Output::Unit,
            ReturnType::Type(_, ty) => Output::of(&replace_self(ty, self_ty)),
        };
        Handler {
            variant: variant_name(&method.sig.ident),
            method,
            index,
            args,
            params,
            output,
            valid: true,
        }
    }

    /// The method's name.
    pub(crate) fn name(&self) -> &Ident {
        &self.method.sig.ident
    }

    pub(crate) fn is_async(&self) -> bool {
        self.method.sig.asyncness.is_some()
    }

    /// The doc comments, copied onto the variant and the handle method.
    pub(crate) fn docs(&self) -> impl Iterator<Item = &Attribute> {
        self.method
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("doc"))
    }

    /// The `#[cfg]`s, so a configured-out handler takes its message with it.
    pub(crate) fn cfgs(&self) -> impl Iterator<Item = &Attribute> {
        self.method
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("cfg"))
    }

    /// The parameters that become message fields, with their names.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&Ident, &Type)> {
        self.params
            .iter()
            .filter(|param| !param.is_context)
            .filter_map(|param| Some((param.name.as_ref()?, &param.ty)))
    }

    /// The type the reply port carries: what the method returns.
    pub(crate) fn reply_ty(&self) -> Type {
        match &self.output {
            Output::Unit => syn::parse_quote!(()),
            Output::Value(ty) => (**ty).clone(),
            Output::Fallible { ok, err } => syn::parse_quote!(::core::result::Result<#ok, #err>),
        }
    }

    /// Whether the handler returns nothing. Its variant has no reply field:
    /// an ask wraps the message into the enum's `__Ack` variant instead, so
    /// a tell is as small as a hand-written message.
    pub(crate) fn is_unit(&self) -> bool {
        matches!(self.output, Output::Unit)
    }

    /// The name of the reply field of a handler that returns something:
    /// `reply`, unless a parameter took it.
    pub(crate) fn reply_field(&self) -> Ident {
        let mut name = String::from("reply");
        while self.fields().any(|(field, _)| field == name.as_str()) {
            name.push('_');
        }
        Ident::new(&name, Span::call_site())
    }

    /// Where errors about the whole handler point: its name.
    pub(crate) fn span(&self) -> Span {
        self.method.sig.ident.span()
    }
}

impl Output {
    /// Sorts a return type: `()`, `Result<T, E>` (any path ending in
    /// `Result` with two type arguments), or another value.
    fn of(ty: &Type) -> Output {
        match ty {
            Type::Tuple(tuple) if tuple.elems.is_empty() => Output::Unit,
            Type::Path(path) if path.qself.is_none() => {
                let Some(last) = path.path.segments.last() else {
                    return Output::Value(Box::new(ty.clone()));
                };
                let PathArguments::AngleBracketed(generics) = &last.arguments else {
                    return Output::Value(Box::new(ty.clone()));
                };
                let types: Vec<&Type> = generics
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    })
                    .collect();
                match types.as_slice() {
                    [ok, err] if last.ident == "Result" && generics.args.len() == 2 => Output::Fallible {
                        ok: Box::new((*ok).clone()),
                        err: Box::new((*err).clone()),
                    },
                    _ => Output::Value(Box::new(ty.clone())),
                }
            }
            _ => Output::Value(Box::new(ty.clone())),
        }
    }
}

/// Whether a parameter type is the actor's context: `&mut Context<..>` or
/// `&Context<..>`, by the last path segment.
fn is_context(ty: &Type) -> bool {
    let Type::Reference(reference) = ty else {
        return false;
    };
    match &*reference.elem {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Context"),
        _ => false,
    }
}

/// `add_item` → `AddItem`; a raw identifier loses its `r#`.
fn variant_name(method: &Ident) -> Ident {
    let name = method.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    if out.is_empty() {
        out.push_str("Underscore");
    }
    Ident::new(&out, method.span())
}

/// `ty` with every `Self` replaced by the actor type: the message enum and
/// the handle trait live outside the impl block, where `Self` means
/// something else.
fn replace_self(ty: &Type, self_ty: &Type) -> Type {
    struct ReplaceSelf<'a>(&'a Type);
    impl VisitMut for ReplaceSelf<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(path) = ty
                && path.qself.is_none()
                && path.path.is_ident("Self")
            {
                let span = path.span();
                *ty = self.0.clone();
                set_span(ty, span);
                return;
            }
            visit_mut::visit_type_mut(self, ty);
        }
    }
    let mut ty = ty.clone();
    ReplaceSelf(self_ty).visit_type_mut(&mut ty);
    ty
}

/// Points the idents of a path type at `span` (where the user wrote `Self`).
fn set_span(ty: &mut Type, span: Span) {
    if let Type::Path(path) = ty {
        for segment in &mut path.path.segments {
            segment.ident.set_span(span);
        }
    }
}

/// Marks every `#[handler]` checked, for the fallback expansion of a block
/// `#[actor]` cannot use (so no `#[handler]` reports a second error).
pub(crate) fn mark_handler_attrs(item: &mut ItemImpl) {
    for impl_item in &mut item.items {
        if let ImplItem::Fn(method) = impl_item {
            method
                .attrs
                .iter_mut()
                .filter(|attr| attr::is_handler(attr))
                .for_each(attr::mark_checked);
        }
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn variant_names_are_upper_camel_case() {
        let name = |ident: Ident| variant_name(&ident).to_string();
        assert_eq!(name(parse_quote!(add)), "Add");
        assert_eq!(name(parse_quote!(fetch_user_by_id)), "FetchUserById");
        assert_eq!(name(parse_quote!(r#type)), "Type");
    }

    #[test]
    fn outputs_are_sorted_by_shape() {
        assert!(matches!(Output::of(&parse_quote!(())), Output::Unit));
        assert!(matches!(Output::of(&parse_quote!(u64)), Output::Value(_)));
        assert!(matches!(
            Output::of(&parse_quote!(std::result::Result<u8, String>)),
            Output::Fallible { .. }
        ));
        // A one-parameter alias is a plain value: its error type is unknown.
        assert!(matches!(
            Output::of(&parse_quote!(io::Result<u8>)),
            Output::Value(_)
        ));
    }

    #[test]
    fn self_is_replaced_inside_types() {
        let actor: Type = parse_quote!(Cache<T>);
        let ty = replace_self(&parse_quote!(Option<Vec<Self>>), &actor);
        assert_eq!(quote::quote!(#ty).to_string(), "Option < Vec < Cache < T > > >");
    }
}
