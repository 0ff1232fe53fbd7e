//! The `chat_server` example, over real TCP on 127.0.0.1: the demo's
//! clients hear exactly the broadcasts meant for them, and the server copes
//! with telnet line endings and with a client too slow to read.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use actor_core::BoxError;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

#[allow(dead_code)] // its `main` and `serve`: the tests call `run` and `Server`
#[path = "../../../examples/chat_server.rs"]
mod example;

/// Far beyond what any step takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

const GOODBYE: &str = "* server shutting down, goodbye";

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_clients_hear_every_broadcast_in_order() -> Result<(), BoxError> {
    let demo = tokio::time::timeout(TIMEOUT, example::run()).await??;
    assert_eq!(demo.accepted, 3);
    assert_eq!(demo.online, ["alice", "bob"]);
    assert!(demo.shutdown_clean);

    // Nobody hears their own lines; everybody hears arrivals and departures.
    let alice = &demo.heard["alice"];
    let bob = &demo.heard["bob"];
    let carol = &demo.heard["carol"];
    assert_eq!(
        alice[..5],
        [
            "* alice joined (1 online)",
            "* bob joined (2 online)",
            "* carol joined (3 online)",
            "bob: hi alice",
            "* carol left (2 online)",
        ]
    );
    assert_eq!(
        bob[..4],
        [
            "* bob joined (2 online)",
            "* carol joined (3 online)",
            "alice: hello, everyone",
            "* carol left (2 online)",
        ]
    );
    assert_eq!(
        carol[..],
        [
            "* carol joined (3 online)",
            "alice: hello, everyone",
            "bob: hi alice"
        ]
    );
    // At the shutdown each remaining client gets a goodbye last; before it,
    // it may hear the other leave, depending on which connection stopped first.
    for (heard, before) in [(alice, 5), (bob, 4)] {
        assert_eq!(heard.last().map(String::as_str), Some(GOODBYE), "{heard:?}");
        for line in &heard[before..heard.len() - 1] {
            assert!(line.ends_with("left (1 online)"), "{heard:?}");
        }
    }
    Ok(())
}

/// A raw client for the tests below.
struct Client {
    lines: Lines<BufReader<OwnedReadHalf>>,
    writer: OwnedWriteHalf,
}

impl Client {
    async fn connect(addr: SocketAddr) -> Result<Client, BoxError> {
        let (reader, writer) = TcpStream::connect(addr).await?.into_split();
        Ok(Client {
            lines: BufReader::new(reader).lines(),
            writer,
        })
    }

    async fn send(&mut self, raw: &str) -> Result<(), BoxError> {
        self.writer.write_all(raw.as_bytes()).await?;
        Ok(())
    }

    async fn next_line(&mut self) -> Result<Option<String>, BoxError> {
        Ok(tokio::time::timeout(TIMEOUT, self.lines.next_line()).await??)
    }
}

fn loopback() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

#[tokio::test(flavor = "multi_thread")]
async fn telnet_line_endings_are_trimmed_and_senders_do_not_hear_themselves() -> Result<(), BoxError> {
    let server = example::Server::start(loopback()).await?;
    let mut dave = Client::connect(server.addr).await?;
    dave.send("dave\r\n").await?;
    assert_eq!(
        dave.next_line().await?.as_deref(),
        Some("* dave joined (1 online)")
    );
    let mut erin = Client::connect(server.addr).await?;
    erin.send("erin\n").await?;
    for client in [&mut dave, &mut erin] {
        assert_eq!(
            client.next_line().await?.as_deref(),
            Some("* erin joined (2 online)")
        );
    }

    dave.send("hi\r\n").await?;
    assert_eq!(erin.next_line().await?.as_deref(), Some("dave: hi"));
    erin.send("bye\n").await?;
    // Dave's next line is Erin's, not his own.
    assert_eq!(dave.next_line().await?.as_deref(), Some("erin: bye"));

    drop(erin);
    assert_eq!(dave.next_line().await?.as_deref(), Some("* erin left (1 online)"));
    assert_eq!(server.online().await?, ["dave"]);

    assert!(server.system.shutdown().await.is_clean());
    assert_eq!(dave.next_line().await?.as_deref(), Some(GOODBYE));
    assert_eq!(dave.next_line().await?, None);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_too_slow_to_read_is_disconnected_and_the_room_carries_on() -> Result<(), BoxError> {
    let server = example::Server::start(loopback()).await?;
    let mut slow = Client::connect(server.addr).await?;
    slow.send("slow\n").await?;
    assert_eq!(
        slow.next_line().await?.as_deref(),
        Some("* slow joined (1 online)")
    );
    let mut fast = Client::connect(server.addr).await?;
    fast.send("fast\n").await?;
    assert_eq!(
        fast.next_line().await?.as_deref(),
        Some("* fast joined (2 online)")
    );
    let mut ear = Client::connect(server.addr).await?;
    ear.send("ear\n").await?;
    for client in [&mut fast, &mut ear] {
        assert_eq!(
            client.next_line().await?.as_deref(),
            Some("* ear joined (3 online)")
        );
    }

    // `slow` reads nothing from here on; `ear` reads everything. Each round,
    // `fast` says fewer lines than a connection's mailbox holds and `ear`
    // reads up to the last, so only `slow` falls behind: once the socket
    // buffers and its mailbox are full, the room disconnects it.
    let text = "x".repeat(4_000);
    let said = format!("fast: {text}");
    let round = format!("{text}\n").repeat(60); // the mailbox holds 64
    let mut rounds = 0;
    while server.online().await? != ["fast", "ear"] {
        rounds += 1;
        assert!(
            rounds <= 1_000,
            "240 MB later, the slow client is still in the room"
        );
        fast.send(&round).await?;
        fast.send(&format!("end of round {rounds}\n")).await?;
        loop {
            match ear.next_line().await?.as_deref() {
                Some(line) if line == format!("fast: end of round {rounds}") => break,
                Some(line) if line == said => {}
                other => return Err(format!("ear heard {other:?}").into()),
            }
        }
    }

    // The slow client gets what was already written, then the end.
    let drained = tokio::time::timeout(TIMEOUT, async {
        while slow.lines.next_line().await?.is_some() {}
        Ok::<_, std::io::Error>(())
    });
    drained.await??;

    // The room carries on without it.
    let mut late = Client::connect(server.addr).await?;
    late.send("late\n").await?;
    for client in [&mut late, &mut fast, &mut ear] {
        assert_eq!(
            client.next_line().await?.as_deref(),
            Some("* late joined (3 online)")
        );
    }
    late.send("hello\n").await?;
    for client in [&mut fast, &mut ear] {
        assert_eq!(client.next_line().await?.as_deref(), Some("late: hello"));
    }
    assert!(server.system.shutdown().await.is_clean());
    Ok(())
}
