//! A TCP chat server: one actor per connection, one room that broadcasts.
//!
//! ```text
//! listener (loop actor) ── spawns a child per client ──▶ connection (loop actor)
//!                                                         │ join, hello, say, leave
//!                                                         ▼
//!             connection ◀── lines to write (try_tell) ── room (#[actor])
//! ```
//!
//! Shows: loop actors selecting on a socket beside `ctx.recv()` (the
//! listener on `accept`, each connection on its client's lines); a room
//! written with `#[actor]` that broadcasts with `try_tell`, so one slow
//! client never stalls the others (a client whose mailbox is full is
//! disconnected); disconnects handled whichever side ends them; and a
//! shutdown that stops the connections (children) before the listener and
//! says goodbye to every client.
//!
//! The protocol is lines of text: a client's first line is its name, every
//! later line is said to the room. A real server would also cap the line
//! length (tokio-util's `LinesCodec::new_with_max_length`) and rate-limit
//! each client, so that one flooding the room cannot overrun the mailboxes
//! of those reading at a normal pace.
//!
//! `cargo run -p examples --example chat_server` (or `-- --demo`) starts the
//! server on a free loopback port, connects three clients over TCP, has them
//! talk, hangs one up, shuts down and exits. With `-- --serve` it listens on
//! 127.0.0.1:7878 until Ctrl-C: talk to it with `nc 127.0.0.1 7878`.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use actor_core::prelude::*;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

/// A line on its way to clients, newline included, shared by every member
/// it is broadcast to.
type Line = Arc<str>;

/// Lines a connection may have waiting before the room drops it as too slow.
const CONNECTION_MAILBOX: usize = 64;

/// What a connection writes when the server stops it.
const GOODBYE: &str = "* server shutting down, goodbye";

/// One member of the room: unnamed until its client says its name.
struct Member {
    name: Option<String>,
    connection: ActorRef<Connection>,
}

/// Who is here, and the broadcast.
#[derive(Default)]
struct Room {
    members: BTreeMap<ActorId, Member>,
}

#[actor]
impl Room {
    /// A connection arrived. It hears nothing until its client says its name.
    #[handler]
    fn join(&mut self, id: ActorId, connection: ActorRef<Connection>) {
        let member = Member {
            name: None,
            connection,
        };
        self.members.insert(id, member);
    }

    /// The client said its name: announce it to everyone, itself included.
    #[handler]
    fn hello(&mut self, id: ActorId, name: String) {
        if let Some(member) = self.members.get_mut(&id) {
            member.name = Some(name.clone());
            let line = format!("* {name} joined ({} online)", self.who().len());
            self.broadcast(None, &line);
        }
    }

    /// A line from a client, for everyone else.
    #[handler]
    fn say(&mut self, id: ActorId, text: String) {
        if let Some(name) = self.members.get(&id).and_then(|member| member.name.clone()) {
            self.broadcast(Some(id), &format!("{name}: {text}"));
        }
    }

    /// A connection ended.
    #[handler]
    fn leave(&mut self, id: ActorId) {
        if let Some(Member { name: Some(name), .. }) = self.members.remove(&id) {
            let line = format!("* {name} left ({} online)", self.who().len());
            self.broadcast(None, &line);
        }
    }

    /// The names of who is here.
    #[handler]
    fn who(&self) -> Vec<String> {
        self.members
            .values()
            .filter_map(|member| member.name.clone())
            .collect()
    }
}

impl Room {
    /// Sends `text` to every named member but `except`, without ever waiting:
    /// a member whose mailbox is full is killed (its socket closes) and
    /// forgotten, since waiting for it would stall the whole room.
    fn broadcast(&mut self, except: Option<ActorId>, text: &str) {
        let line: Line = format!("{text}\n").into();
        let mut too_slow = Vec::new();
        for (id, member) in &self.members {
            if Some(*id) == except || member.name.is_none() {
                continue;
            }
            if let Err(TrySendError::Full(_)) = member.connection.try_tell(Arc::clone(&line)) {
                member.connection.kill();
                too_slow.push(*id);
            }
            // `Closed`: that connection is ending; its `leave` is on the way.
        }
        for id in too_slow {
            self.members.remove(&id);
            tracing::warn!(connection = %id, "client too slow to keep up: disconnected");
        }
    }
}

/// One client: reads its lines and passes them to the room; writes what the
/// room sends it. A loop actor: it selects on the socket and its mailbox.
struct Connection {
    room: ActorRef<Room>,
    peer: SocketAddr,
    /// Taken by `run`, which reads from it.
    reader: Option<Lines<BufReader<OwnedReadHalf>>>,
    writer: OwnedWriteHalf,
    named: bool,
}

impl Connection {
    fn new(socket: TcpStream, peer: SocketAddr, room: ActorRef<Room>) -> Connection {
        let (reader, writer) = socket.into_split();
        Connection {
            room,
            peer,
            reader: Some(BufReader::new(reader).lines()),
            writer,
            named: false,
        }
    }

    /// A line from the client: the first is its name, the others go to the room.
    async fn heard(&mut self, line: &str, me: ActorId) -> Result<(), BoxError> {
        let line = line.trim(); // also drops the `\r` telnet sends
        let told = if !self.named {
            self.named = true;
            let name = match line {
                "" => format!("guest-{}", self.peer.port()),
                name => name.to_string(),
            };
            self.room.hello(me, name).await
        } else if !line.is_empty() {
            self.room.say(me, line.to_string()).await
        } else {
            Ok(())
        };
        told.map_err(|_| "the room is closed")?;
        Ok(())
    }
}

impl Actor for Connection {
    type Msg = Line;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        // The room keeps this connection's handle from now on (the listener
        // drops its own), so the connection lives until its client leaves.
        self.room
            .join(ctx.id(), ctx.myself())
            .await
            .map_err(|_| "the room is closed")?;
        Ok(())
    }

    /// A line from the room: write it to the client.
    async fn handle(&mut self, line: Line, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.writer.write_all(line.as_bytes()).await?;
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let mut lines = self.reader.take().ok_or("the connection ran twice")?;
        loop {
            // Both branches are cancel safe: whatever one of them was about
            // to return while the other won is returned next time.
            tokio::select! {
                msg = ctx.recv() => match msg {
                    Some(line) => {
                        if self.handle(line, ctx).await.is_err() {
                            break; // the client is gone
                        }
                    }
                    None => {
                        // Stopped (a shutdown): the queue is written, say goodbye.
                        let goodbye = format!("{GOODBYE}\n");
                        let _ = self.writer.write_all(goodbye.as_bytes()).await;
                        break;
                    }
                },
                read = lines.next_line() => match read {
                    Ok(Some(line)) => self.heard(&line, ctx.id()).await?,
                    Ok(None) | Err(_) => break, // the client hung up
                },
            }
        }
        Ok(())
    }

    /// However the connection ended, the room hears of it once. (Not after a
    /// kill: only the room kills connections, and it has forgotten this one.)
    async fn stopped(&mut self, ctx: &mut Context<Self>, _reason: &ExitReason) {
        let _ = self.room.leave(ctx.id()).await;
    }
}

/// Accepts clients and spawns a `Connection` child for each: when the
/// listener stops, its connections stop first.
struct Listener {
    socket: TcpListener,
    room: ActorRef<Room>,
    accepted: u64,
}

/// The listener answers one question: how many clients it accepted.
enum ListenerMsg {
    Accepted(ReplyPort<u64>),
}

impl Actor for Listener {
    type Msg = ListenerMsg;

    async fn handle(&mut self, msg: ListenerMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let ListenerMsg::Accepted(reply) = msg;
        let _ = reply.send(self.accepted);
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        loop {
            tokio::select! {
                msg = ctx.recv() => match msg {
                    Some(msg) => self.handle(msg, ctx).await?,
                    None => return Ok(()),
                },
                accepted = self.socket.accept() => match accepted {
                    Ok((socket, peer)) => {
                        self.accepted += 1;
                        let connection = Connection::new(socket, peer, self.room.clone());
                        let options = SpawnOptions::new()
                            .name(format!("conn-{peer}"))
                            .mailbox(MailboxKind::Bounded(CONNECTION_MAILBOX));
                        if let Err(error) = ctx.spawn_with(connection, options).await {
                            tracing::warn!(%peer, %error, "could not start a connection");
                        }
                    }
                    Err(error) => {
                        // Out of file descriptors, say: back off instead of spinning.
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
            }
        }
    }
}

/// A running chat server.
pub(crate) struct Server {
    /// Owns the actors; shut it down to stop the server.
    pub(crate) system: System,
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    room: ActorRef<Room>,
    listener: ActorRef<Listener>,
}

impl Server {
    /// Binds `addr` (port 0: any free port) and starts the room and the
    /// listener.
    ///
    /// # Errors
    ///
    /// The address cannot be bound, or an actor did not start.
    pub(crate) async fn start(addr: SocketAddr) -> Result<Server, BoxError> {
        let socket = TcpListener::bind(addr).await?;
        let addr = socket.local_addr()?;
        let system = System::new();
        let room = system
            .spawn_with(Room::default(), SpawnOptions::new().name("room"))
            .await?;
        let listener = Listener {
            socket,
            room: room.clone(),
            accepted: 0,
        };
        let listener = system
            .spawn_with(listener, SpawnOptions::new().name("listener"))
            .await?;
        Ok(Server {
            system,
            addr,
            room,
            listener,
        })
    }

    /// The names of the clients in the room.
    ///
    /// # Errors
    ///
    /// The room is gone.
    pub(crate) async fn online(&self) -> Result<Vec<String>, BoxError> {
        Ok(self.room.who().await.map_err(AskError::discard_message)?)
    }
}

/// A demo client: a plain TCP connection, and every line it heard.
struct Client {
    name: &'static str,
    lines: Lines<BufReader<OwnedReadHalf>>,
    writer: OwnedWriteHalf,
    heard: Vec<String>,
}

/// How long a demo client waits for a line it knows is coming, before the
/// demo fails instead of hanging.
const HEAR_TIMEOUT: Duration = Duration::from_secs(5);

impl Client {
    async fn connect(addr: SocketAddr, name: &'static str) -> Result<Client, BoxError> {
        let (reader, writer) = TcpStream::connect(addr).await?.into_split();
        let mut client = Client {
            name,
            lines: BufReader::new(reader).lines(),
            writer,
            heard: Vec::new(),
        };
        client.send(name).await?;
        Ok(client)
    }

    async fn send(&mut self, text: &str) -> Result<(), BoxError> {
        println!("{:>6} > {text}", self.name);
        self.writer.write_all(format!("{text}\n").as_bytes()).await?;
        Ok(())
    }

    /// The next line, or `None` once the server closed the connection.
    async fn hear(&mut self) -> Result<Option<String>, BoxError> {
        let next = tokio::time::timeout(HEAR_TIMEOUT, self.lines.next_line()).await;
        let line = next.map_err(|_| format!("{} heard nothing for {HEAR_TIMEOUT:?}", self.name))??;
        if let Some(line) = &line {
            println!("{:>6} < {line}", self.name);
            self.heard.push(line.clone());
        }
        Ok(line)
    }

    /// Closes the connection; gives back what it heard.
    fn hang_up(self) -> Vec<String> {
        self.heard
    }

    /// Reads until the server closes the connection.
    async fn hear_until_closed(&mut self) -> Result<(), BoxError> {
        while self.hear().await?.is_some() {}
        Ok(())
    }
}

/// What the demo did: every line each client heard, and the server's view.
#[derive(Debug)]
pub(crate) struct Demo {
    /// Per client, in order.
    pub(crate) heard: BTreeMap<&'static str, Vec<String>>,
    /// Connections the listener accepted.
    pub(crate) accepted: u64,
    /// Who was online just before the shutdown.
    pub(crate) online: Vec<String>,
    /// Whether every actor stopped in time.
    pub(crate) shutdown_clean: bool,
}

/// The demo: a server on a loopback port, three clients talking, one hanging
/// up, then a shutdown. Each step waits for the lines it causes before the
/// next, so every client hears the same story on every run.
///
/// # Errors
///
/// A socket or actor error, or a client waiting over 5 s for a line.
pub(crate) async fn run() -> Result<Demo, BoxError> {
    let server = Server::start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    println!("chat server listening on {}", server.addr);

    let mut alice = Client::connect(server.addr, "alice").await?;
    alice.hear().await?; // its own arrival
    let mut bob = Client::connect(server.addr, "bob").await?;
    for client in [&mut alice, &mut bob] {
        client.hear().await?;
    }
    let mut carol = Client::connect(server.addr, "carol").await?;
    for client in [&mut alice, &mut bob, &mut carol] {
        client.hear().await?;
    }

    alice.send("hello, everyone").await?;
    for client in [&mut bob, &mut carol] {
        client.hear().await?;
    }
    bob.send("hi alice").await?;
    for client in [&mut alice, &mut carol] {
        client.hear().await?;
    }

    println!(" carol hangs up");
    let carol_heard = carol.hang_up();
    for client in [&mut alice, &mut bob] {
        client.hear().await?;
    }

    let accepted = server
        .listener
        .ask(ListenerMsg::Accepted)
        .await
        .map_err(AskError::discard_message)?;
    let online = server.online().await?;

    println!(" the server shuts down");
    let report = server.system.shutdown().await;
    for client in [&mut alice, &mut bob] {
        client.hear_until_closed().await?;
    }

    let heard = BTreeMap::from([
        (alice.name, alice.heard),
        (bob.name, bob.heard),
        ("carol", carol_heard),
    ]);
    let demo = Demo {
        heard,
        accepted,
        online,
        shutdown_clean: report.is_clean(),
    };
    println!(
        "accepted {} clients; online before the shutdown: {}; lines heard: {}; shutdown clean: {}",
        demo.accepted,
        demo.online.join(", "),
        demo.heard.values().map(Vec::len).sum::<usize>(),
        demo.shutdown_clean
    );
    Ok(demo)
}

/// Serves on 127.0.0.1:7878 until Ctrl-C.
async fn serve() -> Result<(), BoxError> {
    let server = Server::start(SocketAddr::from((Ipv4Addr::LOCALHOST, 7878))).await?;
    println!(
        "chat server listening on {}: connect with `nc {} {}`, Ctrl-C to stop",
        server.addr,
        server.addr.ip(),
        server.addr.port()
    );
    tokio::signal::ctrl_c().await?;
    let report = server.system.shutdown().await;
    println!("shut down, clean: {}", report.is_clean());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    match std::env::args().nth(1).as_deref() {
        None | Some("--demo") => run().await.map(drop),
        Some("--serve") => serve().await,
        Some(other) => Err(format!("unknown argument {other:?}; use --demo (the default) or --serve").into()),
    }
}
