//! The shown lines as CSV that a spreadsheet opens with the right decimals.
//!
//! Where the viewer's locale writes decimals with a comma (sv, nb, da, fi), fields are separated
//! by semicolons and decimals use commas, as spreadsheets in those locales expect; elsewhere,
//! commas and points. Numbers are written without grouping. The text starts with a UTF-8 byte
//! order mark so that å, ä and ö survive a double-click open.

use super::invoice::{is_credit, is_proration, GroupKind};
use super::lines::ShownGroup;
use billing_contract::Decimal;

/// Column headings and line-kind words, in the viewer's language.
#[derive(Clone, Debug)]
pub struct CsvLabels {
    /// Headings of the 13 columns.
    pub headings: [&'static str; 13],
    /// The group name of customer-level charges.
    pub customer_level: &'static str,
    /// Kind of a credit line.
    pub credit: &'static str,
    /// Kind of a prorated line.
    pub proration: &'static str,
}

/// Writes the shown lines, group by group, in display order.
pub fn lines_csv(groups: &[ShownGroup], labels: &CsvLabels, decimal_separator: char) -> String {
    let delimiter = if decimal_separator == ',' { ';' } else { ',' };
    let number = |d: Decimal| {
        let text = d.to_string();
        if decimal_separator == ',' {
            text.replace('.', ",")
        } else {
            text
        }
    };
    let mut out = String::from("\u{feff}");
    push_record(&mut out, delimiter, labels.headings.iter().map(|h| h.to_string()));
    for shown in groups {
        let (group, subscription) = match &shown.group.kind {
            GroupKind::Customer => (labels.customer_level.to_owned(), String::new()),
            GroupKind::Subscription { subscription_no, description } => {
                (subscription_no.clone(), description.clone().unwrap_or_default())
            }
        };
        for line in shown.lines() {
            let kind = [is_credit(line).then_some(labels.credit), is_proration(line).then_some(labels.proration)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            push_record(
                &mut out,
                delimiter,
                [
                    group.clone(),
                    subscription.clone(),
                    line.product_no.clone(),
                    line.description.clone(),
                    line.period_start.map(|d| d.to_string()).unwrap_or_default(),
                    line.period_end.map(|d| d.to_string()).unwrap_or_default(),
                    number(line.quantity),
                    number(line.unit_price),
                    number(line.amount),
                    number(line.vat_rate),
                    number(line.vat_amount),
                    number(line.total_amount),
                    kind,
                ],
            );
        }
    }
    out
}

fn push_record(out: &mut String, delimiter: char, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        if field.contains([delimiter, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::{dec, line};
    use crate::model::invoice::ChargeGroup;
    use crate::model::lines::{show, LineQuery};
    use std::sync::Arc;

    fn labels() -> CsvLabels {
        CsvLabels {
            headings: [
                "Group",
                "Subscription",
                "Product",
                "Description",
                "From",
                "To",
                "Qty",
                "Unit price",
                "Excl. VAT",
                "VAT rate",
                "VAT",
                "Incl. VAT",
                "Kind",
            ],
            customer_level: "Customer",
            credit: "Credit",
            proration: "Prorated",
        }
    }

    fn shown() -> Vec<ShownGroup> {
        let mut credit = line("Kreditering \"Mobil\"; 15–30 sep", "-106.13", "25");
        credit.quantity = dec("-0.5333");
        credit.period_start = Some("2026-09-15".parse().unwrap());
        credit.period_end = Some("2026-09-30".parse().unwrap());
        let sub = Arc::new(ChargeGroup::new(
            GroupKind::Subscription {
                subscription_no: "46701234567".into(), description: Some("Mobil – Åsa".into())
            },
            vec![line("Mobil 5 GB", "1234.50", "25"), credit],
        ));
        vec![show(&sub, &LineQuery::default())]
    }

    #[test]
    fn comma_locales_get_semicolons_and_decimal_commas() {
        let csv = lines_csv(&shown(), &labels(), ',');
        let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(
            rows[0],
            "Group;Subscription;Product;Description;From;To;Qty;Unit price;Excl. VAT;VAT rate;VAT;Incl. VAT;Kind"
        );
        assert_eq!(rows[1], "46701234567;Mobil – Åsa;P;Mobil 5 GB;;;1;1234,50;1234,50;25;308,63;1543,13;");
        assert_eq!(rows[2], "46701234567;Mobil – Åsa;P;\"Kreditering \"\"Mobil\"\"; 15–30 sep\";2026-09-15;2026-09-30;-0,5333;-106,13;-106,13;25;-26,53;-132,66;Credit Prorated");
        assert_eq!(rows.len(), 4, "header, two lines and the final line break");
    }

    #[test]
    fn point_locales_get_commas_and_decimal_points() {
        let csv = lines_csv(&shown(), &labels(), '.');
        let first = csv.split("\r\n").nth(1).unwrap();
        assert_eq!(first, "46701234567,Mobil – Åsa,P,Mobil 5 GB,,,1,1234.50,1234.50,25,308.63,1543.13,");
    }
}
