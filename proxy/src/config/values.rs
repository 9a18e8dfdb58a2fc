//! Parsers of single setting values. Each returns the reason a value is refused; the caller adds
//! the setting's origin (see `Sources::parse`).

use super::LogFormat;
use std::net::SocketAddr;
use std::time::Duration;

pub(super) fn parse_address(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|_| "expected an IP address and port, e.g. 127.0.0.1:8080".to_owned())
}

pub(super) fn parse_bool(value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("expected true or false".to_owned()),
    }
}

pub(super) fn parse_millis(value: &str) -> Result<Duration, String> {
    match value.parse() {
        Ok(0) | Err(_) => Err("expected a positive number of milliseconds".to_owned()),
        Ok(millis) => Ok(Duration::from_millis(millis)),
    }
}

/// A count from 1 up to 1,000,000 (a semaphore's permits).
pub(super) fn parse_positive_count(value: &str) -> Result<u32, String> {
    match value.parse() {
        Ok(count @ 1..=1_000_000) => Ok(count),
        _ => Err("expected a whole number from 1 up to 1000000".to_owned()),
    }
}

pub(super) fn parse_number(value: &str) -> Result<u32, String> {
    value.parse().map_err(|_| "expected a whole number from 0".to_owned())
}

/// A number of bytes from 0.
pub(super) fn parse_bytes(value: &str) -> Result<usize, String> {
    value.parse().map_err(|_| "expected a number of bytes".to_owned())
}

/// A number of bytes from 1.
pub(super) fn parse_positive_bytes(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) | Err(_) => Err("expected a positive number of bytes".to_owned()),
        Ok(bytes) => Ok(bytes),
    }
}

/// The HSTS `max-age` in seconds; 0 turns the header off.
pub(super) fn parse_hsts_max_age(value: &str) -> Result<Option<Duration>, String> {
    match value.parse::<u64>() {
        Ok(0) => Ok(None),
        Ok(secs) => Ok(Some(Duration::from_secs(secs))),
        Err(_) => Err("expected a whole number of seconds from 0 (0 = off)".to_owned()),
    }
}

pub(super) fn parse_log_format(value: &str) -> Result<LogFormat, String> {
    match value {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err("expected text or json".to_owned()),
    }
}

/// Worker threads: 0 (one per core) up to 1024.
pub(super) fn parse_worker_threads(value: &str) -> Result<u32, String> {
    match parse_number(value)? {
        threads @ 0..=1024 => Ok(threads),
        _ => Err("expected 0 (one per core) up to 1024".to_owned()),
    }
}

pub(super) fn parse_origins(value: &str) -> Result<Vec<String>, String> {
    let origins: Vec<String> = value.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned).collect();
    match origins.iter().find(|origin| {
        let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
        !authority.is_some_and(|a| !a.is_empty() && !a.contains('/'))
    }) {
        Some(bad) => Err(format!("`{bad}` is not an origin like https://crm.example.com (no path, no trailing /)")),
        None => Ok(origins),
    }
}

pub(super) fn parse_csp_sources(value: &str) -> Result<String, String> {
    if value.trim().is_empty() || value.contains([';', ',', '\n', '\r']) {
        return Err("expected CSP sources separated by spaces, e.g. 'self' https://crm.example.com".to_owned());
    }
    Ok(value.trim().to_owned())
}
