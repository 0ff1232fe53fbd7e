//! `#[actor]`: handlers take any number of owned parameters. Each becomes a
//! field named after it, in order; `mut` bindings, raw identifiers and a
//! parameter called `reply` all work.

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Formats and stores lines.
#[derive(Debug, Default)]
pub struct Printer {
    lines: Vec<String>,
}

#[actor]
impl Printer {
    /// No parameter at all.
    #[handler]
    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Several parameters of several types, one `mut`.
    #[handler]
    pub fn print(&mut self, mut text: String, times: usize, separator: char, upper: bool) -> usize {
        if upper {
            text = text.to_uppercase();
        }
        let line = vec![text; times].join(&separator.to_string());
        self.lines.push(line);
        self.lines.len()
    }

    /// A raw identifier and a parameter named like the reply field.
    #[handler]
    pub fn r#type(&mut self, r#type: String, reply: String) -> String {
        format!("{type} {reply}", type = r#type)
    }

    /// A unit handler has no reply field: a parameter may take the name.
    #[handler]
    pub fn label(&mut self, reply: String) {
        self.lines.push(reply);
    }

    /// A tuple and a boxed closure travel like any other value.
    #[handler]
    pub fn apply(&mut self, pair: (u8, u8), f: Box<dyn FnOnce(u8, u8) -> u8 + Send>) -> u8 {
        f(pair.0, pair.1)
    }

    /// The lines so far.
    #[handler]
    pub fn lines(&self) -> Vec<String> {
        self.lines.clone()
    }
}

#[tokio::test]
async fn several_parameters_arrive_in_order() -> TestResult {
    let system = System::new();
    let printer = system.spawn(Printer::default()).await?;
    assert_eq!(printer.print("ab".to_string(), 3, '-', true).await?, 1);
    assert_eq!(printer.lines().await?, ["AB-AB-AB"]);
    printer.clear().await?;
    assert!(printer.lines().await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn fields_are_named_after_the_parameters() -> TestResult {
    let msg = PrinterMsg::Print {
        text: "x".to_string(),
        times: 1,
        separator: ' ',
        upper: false,
        reply: None,
    };
    assert_eq!(msg.name(), "print");
    // `reply` was taken by a parameter: the reply port is `reply_`.
    let msg = PrinterMsg::Type {
        r#type: "a".to_string(),
        reply: "b".to_string(),
        reply_: None,
    };
    assert_eq!(msg.name(), "type");
    let msg = PrinterMsg::Label {
        reply: "c".to_string(),
    };
    assert_eq!(msg.name(), "label");
    let msg = PrinterMsg::Clear {};
    assert_eq!(msg.name(), "clear");
    Ok(())
}

#[tokio::test]
async fn unusual_parameter_names_and_types_work() -> TestResult {
    let system = System::new();
    let printer = system.spawn(Printer::default()).await?;
    assert_eq!(
        printer.r#type("fn".to_string(), "main".to_string()).await?,
        "fn main"
    );
    assert_eq!(printer.apply((6, 7), Box::new(|a, b| a * b)).await?, 42);
    printer.label("first".to_string()).ask().await?;
    assert_eq!(printer.lines().await?, ["first"]);
    Ok(())
}
