//! Reply ports: how an asked actor answers.

use std::fmt;

use tokio::sync::oneshot;

/// The sending half of an ask: put it in your message, and the handler
/// answers through it once.
///
/// If the port is dropped without an answer (the handler forgot, failed,
/// panicked, or the actor was killed with the request still queued), the
/// asker gets [`AskError::NoReply`](crate::AskError::NoReply) at once.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// enum Msg {
///     Double(u32, ReplyPort<u32>),
/// }
///
/// struct Doubler;
/// impl Actor for Doubler {
///     type Msg = Msg;
///     async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
///         let Msg::Double(n, reply) = msg;
///         let _ = reply.send(n * 2); // Err if the asker gave up: nothing to do
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let doubler = system.spawn(Doubler).await?;
/// assert_eq!(doubler.ask(|reply| Msg::Double(21, reply)).await?, 42);
/// # Ok(())
/// # }
/// ```
pub struct ReplyPort<R> {
    tx: oneshot::Sender<R>,
}

impl<R> ReplyPort<R> {
    pub(crate) fn new(tx: oneshot::Sender<R>) -> Self {
        ReplyPort { tx }
    }

    /// Sends the reply.
    ///
    /// # Errors
    ///
    /// Gives the value back if the asker is gone (it timed out or was
    /// cancelled); a late reply is simply dropped, as in OTP.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Echo;
    /// # impl Actor for Echo {
    /// #     type Msg = (u8, ReplyPort<u8>);
    /// async fn handle(&mut self, (n, reply): (u8, ReplyPort<u8>), _: &mut Context<Self>) -> Result<(), BoxError> {
    ///     if let Err(unsent) = reply.send(n) {
    ///         tracing::debug!(unsent, "asker is gone");
    ///     }
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn send(self, value: R) -> Result<(), R> {
        self.tx.send(value)
    }

    /// Whether the asker has gone away (timed out or cancelled), so the work
    /// for the answer can be skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Slow;
    /// # impl Actor for Slow {
    /// #     type Msg = ReplyPort<u64>;
    /// async fn handle(&mut self, reply: ReplyPort<u64>, _: &mut Context<Self>) -> Result<(), BoxError> {
    ///     if reply.is_closed() {
    ///         return Ok(()); // nobody is waiting
    ///     }
    ///     let _ = reply.send(42);
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

impl<R> fmt::Debug for ReplyPort<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyPort")
            .field("closed", &self.is_closed())
            .finish()
    }
}
