//! How the widget lives in the page that embeds it: custom elements and the DOM events the
//! host listens to.

mod elements;
mod events;
pub mod panic;

pub use elements::{mount_view, ElementOptions, MountedView};
pub use events::{dispatch, ChangeAction, ChangeNotice, Detail, DetailValue, HostEvent};
