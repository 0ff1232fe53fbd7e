//! `#[actor]`'s compile errors: one file per mistake in `tests/ui`, each with
//! its checked-in `.stderr`. Each error must point at the user's offending
//! tokens, once. Regenerate with `TRYBUILD=overwrite cargo test -p tests
//! --test macro_ui`, then read every changed `.stderr`.

#[test]
fn mistakes_get_one_clear_error_each() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
