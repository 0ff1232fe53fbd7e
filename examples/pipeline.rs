//! A four-stage pipeline with backpressure, on a real input: the word counts
//! of this repository's own Rust sources.
//!
//! ```text
//!        paths              lines                   words
//! main ───────▶ reader ───────────▶ parser pool ───────────▶ aggregator
//!              (mailbox 4)          (4 workers, 8 each,     (mailbox 16)
//!                 │                  least-loaded)              │
//!                 └──── files read ──────▶ reporter ◀── lines counted
//! ```
//!
//! Shows: bounded mailboxes at every stage, so a fast stage cannot bury a
//! slow one: each sender first tries `try_tell`, and when the next stage is
//! full it counts a wait and `tell`s, which waits for room; a worker pool
//! ([`actor_core::pool`]) as one stage, routing each line to the parser with
//! the shortest queue; a reporter stage printing a progress line; and a
//! drain in stage order (stop the reader, then the pool, then ask the
//! aggregator), so every line is counted before the report. It prints the
//! most frequent words and how often each stage waited for room.
//!
//! Run with `cargo run -p examples --example pipeline`.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actor_core::pool::{Pool, PoolRef, Routing};
use actor_core::prelude::*;

/// Sends `msg` to `to`: at once if there is room, else counts a wait in
/// `waits` and waits for room. (One function for an actor and a pool: both
/// have `try_tell` and `tell`.)
macro_rules! send_counting_waits {
    ($to:expr, $msg:expr, $waits:expr) => {
        match $to.try_tell($msg) {
            Ok(()) => Ok(()),
            Err(TrySendError::Closed(_)) => Err("next stage is gone"),
            Err(TrySendError::Full(msg)) => {
                $waits.fetch_add(1, Ordering::Relaxed);
                $to.tell(msg).await.map_err(|_| "next stage is gone")
            }
        }
    };
}

/// How often each stage found the next one full.
#[derive(Default)]
struct Waits {
    main_on_reader: AtomicU64,
    reader_on_parsers: AtomicU64,
    parsers_on_aggregator: AtomicU64,
}

// ---------------------------------------------------------------- reporter

enum ReportMsg {
    FileRead {
        lines: u64,
    },
    Counted {
        lines: u64,
    },
    Final {
        top: Vec<(String, u64)>,
        words: u64,
        done: ReplyPort<()>,
    },
}

/// Prints a progress line as files are read and lines counted, and the final
/// table.
struct Reporter {
    files_total: usize,
    files_read: usize,
    lines_read: u64,
    lines_counted: u64,
}

impl Reporter {
    fn progress(&self) {
        print!(
            "\rprogress: {}/{} files read, {} lines read, {} lines counted",
            self.files_read, self.files_total, self.lines_read, self.lines_counted
        );
        let _ = std::io::stdout().flush();
    }
}

impl Actor for Reporter {
    type Msg = ReportMsg;

    async fn handle(&mut self, msg: ReportMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            ReportMsg::FileRead { lines } => {
                self.files_read += 1;
                self.lines_read += lines;
                self.progress();
            }
            ReportMsg::Counted { lines } => {
                self.lines_counted = lines;
                self.progress();
            }
            ReportMsg::Final { top, words, done } => {
                self.progress();
                println!(
                    "\n\n{words} words in {} lines; the most frequent:",
                    self.lines_counted
                );
                for (rank, (word, count)) in top.iter().enumerate() {
                    println!("{:>4}. {word:<16} {count:>6}", rank + 1);
                }
                let _ = done.send(());
            }
        }
        Ok(())
    }
}

// -------------------------------------------------------------- aggregator

enum AggregateMsg {
    /// The words of one line.
    Words(Vec<String>),
    /// The `n` most frequent words and the total number of words.
    Top(usize, ReplyPort<(Vec<(String, u64)>, u64)>),
}

/// Sums the counts; tells the reporter every `PROGRESS_EVERY` lines.
struct Aggregator {
    counts: HashMap<String, u64>,
    words: u64,
    lines: u64,
    reporter: ActorRef<Reporter>,
}

const PROGRESS_EVERY: u64 = 2_000;

impl Actor for Aggregator {
    type Msg = AggregateMsg;

    async fn handle(&mut self, msg: AggregateMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            AggregateMsg::Words(words) => {
                self.lines += 1;
                self.words += words.len() as u64;
                for word in words {
                    *self.counts.entry(word).or_default() += 1;
                }
                if self.lines.is_multiple_of(PROGRESS_EVERY) {
                    let lines = self.lines;
                    self.reporter.tell(ReportMsg::Counted { lines }).await?;
                }
            }
            AggregateMsg::Top(n, reply) => {
                self.reporter
                    .tell(ReportMsg::Counted { lines: self.lines })
                    .await?;
                let mut top: Vec<(String, u64)> = self.counts.iter().map(|(w, c)| (w.clone(), *c)).collect();
                top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                top.truncate(n);
                let _ = reply.send((top, self.words));
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ parser

/// Splits a line into lowercase words of three letters or more (Rust
/// identifiers split at `_`), and sends them on.
struct Parser {
    aggregator: ActorRef<Aggregator>,
    waits: Arc<Waits>,
}

impl Actor for Parser {
    type Msg = String;

    async fn handle(&mut self, line: String, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let words: Vec<String> = line
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| word.len() >= 3)
            .map(str::to_lowercase)
            .collect();
        send_counting_waits!(
            self.aggregator,
            AggregateMsg::Words(words),
            self.waits.parsers_on_aggregator
        )?;
        Ok(())
    }
}

// ------------------------------------------------------------------ reader

/// Reads each file it is sent and feeds its lines to the parser pool.
struct Reader {
    parsers: PoolRef<Parser>,
    reporter: ActorRef<Reporter>,
    waits: Arc<Waits>,
}

impl Actor for Reader {
    type Msg = PathBuf;

    async fn handle(&mut self, path: PathBuf, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let Ok(text) = tokio::fs::read_to_string(&path).await else {
            return Ok(()); // not UTF-8, or gone meanwhile: skip it
        };
        let mut lines = 0;
        for line in text.lines() {
            lines += 1;
            send_counting_waits!(self.parsers, line.to_string(), self.waits.reader_on_parsers)?;
        }
        self.reporter.tell(ReportMsg::FileRead { lines }).await?;
        Ok(())
    }
}

/// Every `*.rs` file under `dir`, skipping `target` and hidden directories,
/// in a stable order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&root, &mut files)?;
    println!(
        "word counts over {} Rust files in {}",
        files.len(),
        root.display()
    );

    let system = System::new();
    let waits = Arc::new(Waits::default());
    let reporter = system
        .spawn_with(
            Reporter {
                files_total: files.len(),
                files_read: 0,
                lines_read: 0,
                lines_counted: 0,
            },
            SpawnOptions::new().name("reporter"),
        )
        .await?;
    let aggregator = Aggregator {
        counts: HashMap::new(),
        words: 0,
        lines: 0,
        reporter: reporter.clone(),
    };
    let aggregator = system
        .spawn_with(
            aggregator,
            SpawnOptions::new()
                .name("aggregator")
                .mailbox(MailboxKind::Bounded(16)),
        )
        .await?;
    let (to_aggregator, parser_waits) = (aggregator.clone(), Arc::clone(&waits));
    let parsers = Pool::builder(4, move |_| Parser {
        aggregator: to_aggregator.clone(),
        waits: Arc::clone(&parser_waits),
    })
    .name("parser")
    .routing(Routing::LeastLoaded)
    .mailbox(MailboxKind::Bounded(8))
    .spawn(&system)
    .await?;
    let reader = Reader {
        parsers: parsers.clone(),
        reporter: reporter.clone(),
        waits: Arc::clone(&waits),
    };
    let reader = system
        .spawn_with(
            reader,
            SpawnOptions::new()
                .name("reader")
                .mailbox(MailboxKind::Bounded(4)),
        )
        .await?;

    for path in files {
        send_counting_waits!(reader, path, waits.main_on_reader)?;
    }

    // Drain in stage order: each stage handles its queue before it stops,
    // so once the pool has stopped every line is in the aggregator's mailbox,
    // ahead of the question below.
    reader.stop();
    reader.wait_for_stop().await;
    parsers.stop();
    parsers.wait_for_stop().await;
    let (top, words) = aggregator
        .ask(|reply| AggregateMsg::Top(15, reply))
        .await
        .map_err(AskError::discard_message)?;
    reporter
        .ask(|done| ReportMsg::Final { top, words, done })
        .await
        .map_err(AskError::discard_message)?;

    println!("\nwaited for room (a full next stage):");
    println!(
        "  main -> reader:          {:>6}",
        waits.main_on_reader.load(Ordering::Relaxed)
    );
    println!(
        "  reader -> parser pool:   {:>6}",
        waits.reader_on_parsers.load(Ordering::Relaxed)
    );
    println!(
        "  parsers -> aggregator:   {:>6}",
        waits.parsers_on_aggregator.load(Ordering::Relaxed)
    );
    let report = system.shutdown().await;
    println!("shutdown: clean = {}", report.is_clean());
    Ok(())
}
