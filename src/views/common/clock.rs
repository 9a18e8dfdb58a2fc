//! The viewer's calendar.

use billing_contract::Date;

/// Today in the viewer's time zone (the browser's local date).
pub fn local_today() -> Date {
    let now = js_sys::Date::new_0();
    let year = u16::try_from(now.get_full_year()).ok();
    let (month, day) = (u8::try_from(now.get_month() + 1).ok(), u8::try_from(now.get_date()).ok());
    match (year, month, day) {
        (Some(y), Some(m), Some(d)) => Date::new(y, m, d).unwrap_or(Date::UNIX_EPOCH),
        _ => Date::UNIX_EPOCH,
    }
}
