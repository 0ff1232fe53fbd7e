//! Building a supervisor: strategy, intensity and child specs, checked once.

use std::fmt;

use crate::actor::Actor;
use crate::error::{SupervisorError, valid_timeout};
use crate::supervision::child::ErasedSpec;
use crate::supervision::spec::{ChildSpec, Intensity, Strategy};
use crate::supervision::supervisor::Supervisor;

/// Builds a [`Supervisor`]: strategy, intensity and child specs, checked by
/// [`build`](SupervisorBuilder::build).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::supervision::{Intensity, Strategy, Supervisor};
///
/// let sup = Supervisor::builder()
///     .strategy(Strategy::RestForOne)
///     .intensity(Intensity::new(3, Duration::from_secs(5)))
///     .build();
/// assert!(sup.is_ok());
/// ```
#[derive(Default)]
pub struct SupervisorBuilder {
    strategy: Strategy,
    intensity: Intensity,
    specs: Vec<Box<dyn ErasedSpec>>,
}

impl fmt::Debug for SupervisorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupervisorBuilder")
            .field("strategy", &self.strategy)
            .field("intensity", &self.intensity)
            .field(
                "children",
                &self.specs.iter().map(|s| s.name()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl SupervisorBuilder {
    /// Sets the strategy (default one-for-one).
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::supervision::{Strategy, Supervisor};
    /// let builder = Supervisor::builder().strategy(Strategy::OneForAll);
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Sets the restart intensity (default 1 in 5 s).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::supervision::{Intensity, Supervisor};
    /// let builder = Supervisor::builder().intensity(Intensity::new(10, Duration::from_secs(60)));
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn intensity(mut self, intensity: Intensity) -> Self {
        self.intensity = intensity;
        self
    }

    /// Adds a child; children start in the order they are added.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// use actor_core::supervision::{ChildSpec, Supervisor};
    /// let builder = Supervisor::builder().child(ChildSpec::new("w", W::default));
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn child<A: Actor>(mut self, spec: ChildSpec<A>) -> Self {
        self.specs.push(Box::new(spec));
        self
    }

    /// Checks the configuration and builds the supervisor (spawn it next).
    ///
    /// # Errors
    ///
    /// [`SupervisorError::InvalidIntensity`], [`SupervisorError::DuplicateChild`],
    /// [`SupervisorError::InvalidSpec`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::supervision::{Intensity, Supervisor};
    /// let err = Supervisor::builder().intensity(Intensity::new(1, Duration::ZERO)).build();
    /// assert!(err.is_err());
    /// ```
    pub fn build(self) -> Result<Supervisor, SupervisorError> {
        if !valid_timeout(self.intensity.period) {
            return Err(SupervisorError::InvalidIntensity);
        }
        for (i, spec) in self.specs.iter().enumerate() {
            spec.validate()?;
            if self.specs[..i].iter().any(|s| s.name() == spec.name()) {
                return Err(SupervisorError::DuplicateChild(spec.name().to_string()));
            }
        }
        Ok(Supervisor::from_parts(self.strategy, self.intensity, self.specs))
    }
}
