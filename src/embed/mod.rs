//! How the widget talks to the page that embeds it: DOM events the host listens to.

mod events;

pub use events::{dispatch, ChangeAction, ChangeNotice, HostEvent};
