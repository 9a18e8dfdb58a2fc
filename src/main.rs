//! The standalone demo site: mounts [`billing_widget::views::DemoSite`] on the page body.

use billing_widget::views::DemoSite;
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <DemoSite /> });
}
