//! Waiting for the browser to paint.

use leptos::prelude::*;

/// Resolves once the next frame has been painted: its animation-frame callback queues a task,
/// and tasks run after the frame is done.
pub(crate) async fn after_next_paint() {
    let (sender, receiver) = futures::channel::oneshot::channel::<()>();
    request_animation_frame(move || {
        set_timeout(
            move || {
                let _ = sender.send(());
            },
            std::time::Duration::ZERO,
        );
    });
    let _ = receiver.await;
}
