//! The CRM change forms: add, change and end a recurring product or a subscription.

pub(crate) mod editing;
pub(crate) mod form_fields;
pub(crate) mod form_messages;
pub(crate) mod form_parts;
pub(crate) mod form_state;
pub(crate) mod product_actions;
pub(crate) mod product_form;
pub(crate) mod subscription_form;
