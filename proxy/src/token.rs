//! The upstream bearer token as it is now: read at start and, when it came from a file,
//! re-read whenever the file changes, so a token is rotated without a restart.
//!
//! Each worker thread reads it through a [`WorkerToken`], a copy of its own that is refreshed
//! when the token changes, so that no request writes memory another core reads.

use crate::config::check_token;
use crate::secret::Secret;
use axum::http::HeaderValue;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

/// The current `authorization` header value sent upstream.
#[derive(Debug)]
pub struct TokenSource {
    current: RwLock<HeaderValue>,
    /// Counts the changes of `current`, so that copies know when they are out of date.
    generation: AtomicU64,
    file: Option<PathBuf>,
}

/// One worker thread's copy of a [`TokenSource`]'s header.
#[derive(Debug)]
pub struct WorkerToken {
    source: Arc<TokenSource>,
    /// The source's generation and header when last copied.
    copy: Mutex<(u64, HeaderValue)>,
}

impl WorkerToken {
    /// The current header: the copy, refreshed first if the source changed since it was taken.
    pub fn header(&self) -> HeaderValue {
        let generation = self.source.generation.load(Ordering::Acquire);
        let mut copy = self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if copy.0 != generation {
            *copy = (generation, crate::app::worker_copy(&self.source.header()));
        }
        copy.1.clone()
    }

    /// Another copy of the same source, for another worker thread.
    pub fn for_worker(&self) -> WorkerToken {
        self.source.for_worker()
    }
}

/// Why the token cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("the upstream token contains characters that cannot be sent in an HTTP header")]
pub struct TokenNotHeaderSafe;

impl TokenSource {
    /// A source starting with `token`, re-read from `file` if given.
    pub fn new(token: &Secret, file: Option<PathBuf>) -> Result<TokenSource, TokenNotHeaderSafe> {
        let header = token.bearer_header().map_err(|_| TokenNotHeaderSafe)?;
        Ok(TokenSource { current: RwLock::new(header), generation: AtomicU64::new(0), file })
    }

    /// A copy for one worker thread.
    pub fn for_worker(self: &Arc<TokenSource>) -> WorkerToken {
        let copy = (self.generation.load(Ordering::Acquire), crate::app::worker_copy(&self.header()));
        WorkerToken { source: self.clone(), copy: Mutex::new(copy) }
    }

    /// `Bearer <token>`, marked sensitive.
    pub fn header(&self) -> HeaderValue {
        self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Re-reads the file if it changed since `seen` (its modification time); returns the time
    /// now seen. A file that cannot be read or holds an unusable token keeps the old token
    /// (and is logged, without its content).
    pub fn reload_if_changed(&self, seen: Option<SystemTime>) -> Option<SystemTime> {
        let path = self.file.as_ref()?;
        let modified = std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
        if modified.is_none() || modified == seen {
            return seen;
        }
        let origin = path.display().to_string();
        match std::fs::read_to_string(path).map(|text| check_token(&text, &origin)) {
            Ok(Ok(token)) => match token.bearer_header() {
                Ok(header) => {
                    let mut current = self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner());
                    if *current != header {
                        *current = header;
                        // After the header, so that a copy that sees the new count reads it.
                        self.generation.fetch_add(1, Ordering::Release);
                        tracing::info!(file = %origin, "upstream token reloaded");
                    }
                }
                Err(_) => tracing::warn!(file = %origin, "the new token is not header-safe; keeping the old one"),
            },
            Ok(Err(err)) => tracing::warn!(file = %origin, error = %err, "keeping the old upstream token"),
            Err(err) => {
                tracing::warn!(file = %origin, error = %err, "cannot re-read the token file; keeping the old token")
            }
        }
        modified
    }

    /// Checks the file every `interval` on the current Tokio runtime (nothing without a file
    /// or outside a runtime).
    pub fn watch(self: &Arc<TokenSource>, interval: Duration) {
        let (Some(_), Ok(runtime)) = (&self.file, tokio::runtime::Handle::try_current()) else { return };
        let source = Arc::downgrade(self);
        let mut seen = self.file.as_ref().and_then(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok());
        runtime.spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Some(source) = source.upgrade() else { return };
                seen = source.reload_if_changed(seen);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_replaces_the_token_and_a_bad_one_does_not() {
        let path = std::env::temp_dir().join(format!("billing-proxy-rotate-{}", std::process::id()));
        std::fs::write(&path, "first\n").unwrap();
        let source = Arc::new(TokenSource::new(&Secret::new("first"), Some(path.clone())).unwrap());
        let worker = source.for_worker();
        let seen = source.reload_if_changed(None);
        assert_eq!(source.header(), "Bearer first");
        assert_eq!(worker.header(), "Bearer first");
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "second\n").unwrap();
        let later = SystemTime::now() + Duration::from_secs(1);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(later).unwrap();
        let seen = source.reload_if_changed(seen);
        assert_eq!(source.header(), "Bearer second");
        assert_eq!(worker.header(), "Bearer second", "a worker's copy follows the source");
        assert!(worker.header().is_sensitive());
        std::fs::write(&path, "  \n").unwrap();
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(later + Duration::from_secs(1)).unwrap();
        source.reload_if_changed(seen);
        assert_eq!(source.header(), "Bearer second", "an empty file keeps the old token");
        std::fs::remove_file(path).unwrap();
    }
}
