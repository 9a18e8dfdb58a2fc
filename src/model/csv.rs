//! The shown lines, or a comparison of two invoices, as CSV that a spreadsheet opens with the
//! right decimals.
//!
//! Where the viewer's locale writes decimals with a comma (sv, nb, da, fi), fields are separated
//! by semicolons and decimals use commas, as spreadsheets in those locales expect; elsewhere,
//! commas and points. Numbers are written without grouping. The text starts with a UTF-8 byte
//! order mark so that å, ä and ö survive a double-click open.
//!
//! Text that a spreadsheet would run as a formula (a cell starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return, as the OWASP guidance on CSV injection lists) is written quoted with
//! a `'` in front, so a description `=HYPERLINK(…)` stays text in the agent's spreadsheet. Number
//! cells are the widget's own digits and stay numbers (`-12,50`). Unit prices keep every decimal
//! the API sent, so quantity × unit price is the amount.

use super::comparison::{ChangeKind, ChargeSum, Comparison};
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

/// Column headings and change words of a comparison's CSV, in the viewer's language.
#[derive(Clone, Copy)]
pub struct ComparisonCsvLabels<'a> {
    /// Headings of the 12 columns: group, subscription, change, product, description, then
    /// quantity, unit price and amount including VAT before, the same now, and the difference.
    pub headings: [&'static str; 12],
    /// The group name of customer-level charges.
    pub customer_level: &'static str,
    /// The word for a kind of change.
    pub kind: &'a dyn Fn(ChangeKind) -> &'static str,
}

/// How numbers and fields are separated for a locale's decimal separator.
struct Separators {
    decimal: char,
    delimiter: char,
}

impl Separators {
    fn new(decimal: char) -> Separators {
        Separators { decimal, delimiter: if decimal == ',' { ';' } else { ',' } }
    }

    fn number(&self, d: Decimal) -> Cell {
        let text = d.to_string();
        Cell::Number(if self.decimal == ',' { text.replace('.', ",") } else { text })
    }
}

/// The group and subscription columns of a group.
fn group_cells(kind: &GroupKind, customer_level: &str) -> (String, String) {
    match kind {
        GroupKind::Customer => (customer_level.to_owned(), String::new()),
        GroupKind::Subscription { subscription_no, description } => {
            (subscription_no.clone(), description.clone().unwrap_or_default())
        }
    }
}

/// Writes every change of a comparison, group by group, largest difference first; a side
/// without lines leaves its cells empty.
pub fn comparison_csv(comparison: &Comparison, labels: &ComparisonCsvLabels<'_>, decimal_separator: char) -> String {
    let s = Separators::new(decimal_separator);
    let mut out = String::from("\u{feff}");
    push_record(&mut out, s.delimiter, labels.headings.iter().map(|h| Cell::Text(h.to_string())));
    let side = |sum: &Option<ChargeSum>| match sum {
        Some(sum) => [
            s.number(sum.quantity),
            sum.unit_price.map_or(Cell::Text(String::new()), |p| s.number(p)),
            s.number(sum.totals.total),
        ],
        None => [Cell::Text(String::new()), Cell::Text(String::new()), Cell::Text(String::new())],
    };
    for group in &comparison.groups {
        let (name, subscription) = group_cells(&group.kind, labels.customer_level);
        for change in &group.changes {
            let [quantity_before, price_before, total_before] = side(&change.before);
            let [quantity_now, price_now, total_now] = side(&change.now);
            let difference = change.difference().map_or(Cell::Text(String::new()), |d| s.number(d));
            push_record(
                &mut out,
                s.delimiter,
                [
                    Cell::Text(name.clone()),
                    Cell::Text(subscription.clone()),
                    Cell::Text((labels.kind)(change.kind).to_owned()),
                    Cell::Text(change.product_no.clone()),
                    Cell::Text(change.description.clone()),
                    quantity_before,
                    price_before,
                    total_before,
                    quantity_now,
                    price_now,
                    total_now,
                    difference,
                ],
            );
        }
    }
    out
}

/// Writes the shown lines, group by group, in display order.
pub fn lines_csv(groups: &[ShownGroup], labels: &CsvLabels, decimal_separator: char) -> String {
    let s = Separators::new(decimal_separator);
    let (delimiter, number) = (s.delimiter, |d: Decimal| s.number(d));
    let mut out = String::from("\u{feff}");
    push_record(&mut out, delimiter, labels.headings.iter().map(|h| Cell::Text(h.to_string())));
    for shown in groups {
        let (group, subscription) = group_cells(&shown.group.kind, labels.customer_level);
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
                    Cell::Text(group.clone()),
                    Cell::Text(subscription.clone()),
                    Cell::Text(line.product_no.clone()),
                    Cell::Text(line.description.clone()),
                    Cell::Text(line.period_start.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::Text(line.period_end.map(|d| d.to_string()).unwrap_or_default()),
                    number(line.quantity),
                    number(line.unit_price),
                    number(line.amount),
                    number(line.vat_rate),
                    number(line.vat_amount),
                    number(line.total_amount),
                    Cell::Text(kind),
                ],
            );
        }
    }
    out
}

/// One field of a record.
enum Cell {
    /// Text from the API or the texts: neutralised if a spreadsheet would read it as a formula.
    Text(String),
    /// A number the widget wrote from a decimal: written as is.
    Number(String),
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn push_record(out: &mut String, delimiter: char, fields: impl IntoIterator<Item = Cell>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let (field, formula) = match field {
            Cell::Text(text) => {
                let formula = text.starts_with(FORMULA_STARTS);
                (text, formula)
            }
            Cell::Number(number) => (number, false),
        };
        if formula || field.contains([delimiter, '"', '\n', '\r']) {
            out.push('"');
            if formula {
                out.push('\'');
            }
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
    use crate::model::text::StdLowercase;
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
            &StdLowercase,
        ));
        vec![show(&sub, &LineQuery::default(), &StdLowercase)]
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

    #[test]
    fn text_a_spreadsheet_would_run_stays_text_and_negative_amounts_stay_numbers() {
        let descriptions =
            ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tTab", "\rReturn"];
        let lines: Vec<_> = descriptions.iter().map(|d| line(d, "-12.50", "25")).collect();
        let mut formula_product = line("Vanlig", "1", "25");
        formula_product.product_no = "=1+1".into();
        let group = Arc::new(ChargeGroup::new(
            GroupKind::Subscription { subscription_no: "@46701".into(), description: Some("-Åsa".into()) },
            lines.into_iter().chain([formula_product]).collect(),
            &StdLowercase,
        ));
        let csv = lines_csv(&[show(&group, &LineQuery::default(), &StdLowercase)], &labels(), ',');
        let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        let expected_descriptions = [
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            "\"'+cmd|' /C calc'!A0\"",
            "\"'@SUM(1)\"",
            "\"'-2+3\"",
            "\"'\tTab\"",
            "\"'\rReturn\"",
        ];
        for (row, description) in rows[1..].iter().zip(expected_descriptions) {
            let prefix = format!("\"'@46701\";\"'-Åsa\";P;{description};;;1;");
            assert!(row.starts_with(&prefix), "{row:?} should start with {prefix:?}");
            assert!(row.ends_with(";-12,50;-12,50;25;-3,13;-15,63;Credit"), "negative amounts stay numbers: {row:?}");
        }
        assert!(rows[7].contains(";\"'=1+1\";Vanlig;"), "{:?}", rows[7]);
    }

    #[test]
    fn unit_prices_keep_every_decimal_the_api_sent() {
        let mut sms = line("SMS", "1.25", "25");
        sms.quantity = dec("100");
        sms.unit_price = dec("0.0125");
        let group = Arc::new(ChargeGroup::new(GroupKind::Customer, vec![sms], &StdLowercase));
        let csv = lines_csv(&[show(&group, &LineQuery::default(), &StdLowercase)], &labels(), ',');
        let row = csv.split("\r\n").nth(1).unwrap();
        assert_eq!(row, "Customer;;P;SMS;;;100;0,0125;1,25;25;0,31;1,56;");
    }

    #[test]
    fn a_comparison_lists_each_change_with_both_sides_and_its_difference() {
        let mut plan = line("Mobil 5 GB", "200", "25");
        plan.product_no = "MOB-5".into();
        let mut raised = plan.clone();
        raised.unit_price = dec("250");
        raised.amount = dec("250");
        raised.vat_amount = dec("62.50");
        raised.total_amount = dec("312.50");
        let mut extra = line("=Extra", "10", "25");
        extra.product_no = "EXTRA".into();
        extra.recurring_product_no = "9".into();
        let customer = |lines| Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase));
        let comparison =
            Comparison::new((&[customer(vec![plan])], None), (&[customer(vec![raised, extra])], None)).unwrap();
        let kind = |k: ChangeKind| if k == ChangeKind::New { "New" } else { "Price" };
        let headings = ["G", "S", "C", "P", "D", "QB", "UB", "TB", "QN", "UN", "TN", "Diff"];
        let labels = ComparisonCsvLabels { headings, customer_level: "Customer", kind: &kind };
        let csv = comparison_csv(&comparison, &labels, ',');
        let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(rows[0], "G;S;C;P;D;QB;UB;TB;QN;UN;TN;Diff");
        assert_eq!(rows[1], "Customer;;Price;MOB-5;Mobil 5 GB;1;200;250;1;250;312,50;62,50");
        assert_eq!(rows[2], "Customer;;New;EXTRA;\"'=Extra\";;;;1;10;12,50;12,50");
        assert_eq!(rows.len(), 4, "header, two changes and the final line break");
    }
}
