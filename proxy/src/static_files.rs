//! The widget's built bundle (`index.html`, JavaScript, WebAssembly, styles), served from a
//! directory.

use std::path::Path;
use tower_http::services::ServeDir;

/// A service answering every request with the file at its path under `dir`: `index.html` for
/// `/` and for directories, 404 for anything missing (no single-page-app fallback). The
/// content type follows the extension; `.wasm` is `application/wasm`, which browsers need to
/// compile the module while it streams in.
pub fn service(dir: &Path) -> ServeDir {
    ServeDir::new(dir).append_index_html_on_directories(true)
}
