//! The standalone site: mounts [`site::Site`] on the page body. The site is part of this
//! binary only; the library and the embeddable bundle do not link it.

mod site;

use leptos::prelude::*;
use site::Site;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <Site /> });
}
