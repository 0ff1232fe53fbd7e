//! The expansion snapshot: `tests/expand/counter.rs` expanded, pretty-printed
//! and compared with the checked-in `tests/expand/counter.expanded.rs`, so
//! every change to the generated code shows up in review.
//!
//! Regenerate after an intended change with
//! `UPDATE_EXPAND=1 cargo test -p actor-macros`, then read the diff.

use std::path::Path;

use quote::ToTokens;
use syn::{Item, Meta};

/// Expands every `#[actor]` item of a file, like `cargo expand` would for
/// this one macro.
fn expand_file(source: &str) -> syn::Result<String> {
    let file = syn::parse_file(source)?;
    let mut items = Vec::new();
    for item in file.items {
        let Item::Impl(mut imp) = item else {
            items.push(item);
            continue;
        };
        let Some(position) = imp.attrs.iter().position(|attr| attr.path().is_ident("actor")) else {
            items.push(Item::Impl(imp));
            continue;
        };
        let args = match imp.attrs.remove(position).meta {
            Meta::List(list) => list.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        let expanded = crate::actor_impl(args, imp.into_token_stream());
        items.extend(syn::parse2::<syn::File>(expanded)?.items);
    }
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    };
    Ok(prettyplease::unparse(&file))
}

#[test]
fn counter_expansion_matches_snapshot() -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let source = std::fs::read_to_string(dir.join("counter.rs")).map_err(|err| err.to_string())?;
    let expanded = expand_file(&source).map_err(|err| format!("the expansion does not parse: {err}"))?;
    let expanded = format!("// @generated from counter.rs by the actor-macros snapshot test\n{expanded}");
    let snapshot = dir.join("counter.expanded.rs");
    if std::env::var_os("UPDATE_EXPAND").is_some() {
        return std::fs::write(&snapshot, &expanded).map_err(|err| err.to_string());
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        expected == expanded,
        "the expansion changed; review it with `UPDATE_EXPAND=1 cargo test -p actor-macros` and `git diff`\n\n{expanded}"
    );
    Ok(())
}

#[test]
fn mistakes_give_errors_and_a_fallback() {
    let item = quote::quote! {
        impl Counter {
            #[handler]
            fn bad(self) {}
            #[handler]
            fn good(&self) {}
        }
    };
    let out = crate::actor_impl(proc_macro2::TokenStream::new(), item).to_string();
    assert!(out.contains("compile_error"));
    // The good handler is still generated, the bad one left out.
    assert!(out.contains("Good"));
    assert!(!out.contains("Bad"));
}
