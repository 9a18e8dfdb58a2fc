//! What every view shares: loading and error states, session renewal, the mode, what views
//! report to whoever mounted them, the viewer's language, virtualized rows, helpers.

pub(crate) mod clock;
pub(crate) mod disclosure;
pub(crate) mod download;
pub(crate) mod events;
pub(crate) mod frames;
pub(crate) mod i18n;
pub(crate) mod load;
pub(crate) mod mode;
pub(crate) mod session;
pub(crate) mod shared;
pub(crate) mod status;
pub(crate) mod virtual_rows;
