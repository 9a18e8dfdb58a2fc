//! How the widget lives in the page that embeds it: custom elements and the DOM events the
//! host listens to (the only place the views' reports become DOM events).

mod elements;
mod events;
mod host_events;
pub mod panic;

pub use crate::model::change::{ChangeAction, ChangeNotice};
pub use elements::{mount_view, ElementOptions, MountedView};
pub use events::{dispatch, Detail, DetailValue, HostEvent};
pub use host_events::{host_events, provide_host_events};
