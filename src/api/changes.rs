//! Writes: the changes CRM staff make to recurring products and subscriptions, each sent to
//! the operation the API advertised for it (its method and `href`, never a rebuilt URL).

use super::{ApiClient, ApiError};
use billing_contract::{Operation, RecurringProductInput, SubscriptionInput};
use futures::future::LocalBoxFuture;
use std::sync::Arc;

/// One change to send.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// `add-recurring-product` on a customer or a subscription.
    AddProduct { operation: Operation, input: RecurringProductInput },
    /// `update-recurring-product`: edit a product, or end it by giving it an end date.
    UpdateProduct { operation: Operation, input: RecurringProductInput },
    /// `delete-recurring-product`.
    DeleteProduct { operation: Operation },
    /// `add-subscription` on a customer.
    AddSubscription { operation: Operation, input: SubscriptionInput },
}

impl Change {
    /// The advertised operation the change is sent to.
    pub fn operation(&self) -> &Operation {
        match self {
            Change::AddProduct { operation, .. }
            | Change::UpdateProduct { operation, .. }
            | Change::DeleteProduct { operation }
            | Change::AddSubscription { operation, .. } => operation,
        }
    }

    /// The JSON body, if the change has one.
    fn body(&self) -> Result<Option<String>, serde_json::Error> {
        match self {
            Change::AddProduct { input, .. } | Change::UpdateProduct { input, .. } => {
                serde_json::to_string(input).map(Some)
            }
            Change::AddSubscription { input, .. } => serde_json::to_string(input).map(Some),
            Change::DeleteProduct { .. } => Ok(None),
        }
    }
}

/// What the API told of a saved change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Saved {
    /// The number the server gave a created recurring product (from the `201` answer), if it
    /// said.
    pub recurring_product_no: Option<String>,
}

impl Saved {
    /// What an answer's body tells: the created product's number, if the body is a product.
    pub fn from_answer(body: &str) -> Saved {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Created {
            #[serde(default, deserialize_with = "billing_contract::tolerant::optional_text")]
            recurring_product_no: Option<String>,
        }
        let created = serde_json::from_str::<Created>(body).ok().and_then(|c| c.recurring_product_no);
        Saved { recurring_product_no: created }
    }
}

/// Sends a change; views take one of these so that tests can stand in for the API.
pub type SendChange = Arc<dyn Fn(Change) -> LocalBoxFuture<'static, Result<Saved, ApiError>> + Send + Sync>;

impl ApiClient {
    /// Sends `change` to its operation's `href` with its method. Of the answer only the
    /// created resource's number is read: callers re-read the resources, so the view shows the
    /// server's state.
    pub async fn send_change(&self, change: &Change) -> Result<Saved, ApiError> {
        let operation = change.operation();
        let body = change.body().map_err(|e| ApiError::Request(e.to_string()))?;
        let answer = self.send(&operation.method, operation.href.as_str(), body).await?;
        Ok(Saved::from_answer(&answer))
    }

    /// This client as a [`SendChange`].
    pub fn change_sender(&self) -> SendChange {
        let client = self.clone();
        Arc::new(move |change| {
            let client = client.clone();
            Box::pin(async move { client.send_change(&change).await })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Saved;

    #[test]
    fn a_created_product_answer_names_its_number() {
        let answer = r#"{"@id":"/billing/x/recurring-products/1042","recurringProductNo":"1042","quantity":1}"#;
        assert_eq!(Saved::from_answer(answer).recurring_product_no.as_deref(), Some("1042"));
        assert_eq!(Saved::from_answer(r#"{"recurringProductNo":1043}"#).recurring_product_no.as_deref(), Some("1043"));
        assert_eq!(Saved::from_answer(""), Saved::default(), "an empty 204 answer is still saved");
        assert_eq!(Saved::from_answer("not json"), Saved::default());
    }
}
