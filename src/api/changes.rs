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

/// Sends a change; views take one of these so that tests can stand in for the API.
pub type SendChange = Arc<dyn Fn(Change) -> LocalBoxFuture<'static, Result<(), ApiError>> + Send + Sync>;

impl ApiClient {
    /// Sends `change` to its operation's `href` with its method. The answer's body is not
    /// read: callers re-read the resources, so the view shows the server's state.
    pub async fn send_change(&self, change: &Change) -> Result<(), ApiError> {
        let operation = change.operation();
        let body = change.body().map_err(|e| ApiError::Request(e.to_string()))?;
        self.send(&operation.method, operation.href.as_str(), body).await
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
