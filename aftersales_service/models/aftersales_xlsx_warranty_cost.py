from datetime import datetime

from odoo import _, models

from .aftersales_xlsx_helpers import write_notes
from .xlsx_writer import XlsxColumn

# Only decided claims are a cost: approval posts the warranty cost entry.
COST_STATES = ("approved", "settled")
AMOUNTS = (
    "parts_cost",
    "labour_cost",
    "travel_cost",
    "other_cost",
    "amount_total",
    "amount_claimed",
    "amount_recovered",
)


class AftersalesXlsxWarrantyCost(models.AbstractModel):
    """Warranty cost of the approved and settled claims dated in the period, and
    what suppliers were claimed and paid back, per product, serial number,
    supplier and month; each sheet is one grouped read of the claims."""

    _name = "aftersales.xlsx.warranty.cost"
    _inherit = "aftersales.xlsx.report"
    _description = "Warranty Cost and Recovery"
    _xlsx_sequence = 40

    def _cost_columns(self):
        return [
            XlsxColumn("claims", _("Claims"), "int", width=9, total="sum"),
            XlsxColumn("parts_cost", _("Parts Cost"), "money", total="sum"),
            XlsxColumn("labour_cost", _("Labour Cost"), "money", total="sum"),
            XlsxColumn("travel_cost", _("Mileage Cost"), "money", total="sum"),
            XlsxColumn("other_cost", _("Other Costs"), "money", total="sum"),
            XlsxColumn("amount_total", _("Warranty Cost"), "money", total="sum"),
            XlsxColumn(
                "amount_claimed", _("Claimed from Supplier"), "money", total="sum"
            ),
            XlsxColumn("amount_recovered", _("Recovered"), "money", total="sum"),
            XlsxColumn(
                "recovery_rate",
                _("Recovery Rate"),
                "percent",
                width=11,
                total=("ratio", "amount_recovered", "amount_claimed"),
            ),
            XlsxColumn("net_cost", _("Net Cost"), "money", total="sum"),
        ]

    def _cost_domain(self, options):
        return [
            *options._ticket_domain("ticket_id."),
            *options._period_domain("date", is_date=True),
            ("state", "in", COST_STATES),
        ]

    def _cost_groups(self, domain, groupby):
        """(group values, figures) per group of claims, in one query."""
        aggregates = ["__count", *(f"{name}:sum" for name in AMOUNTS)]
        rows = []
        size = len(groupby)
        for result in self.env["aftersales.warranty.claim"]._read_group(
            domain, groupby, aggregates
        ):
            groups, count, amounts = result[:size], result[size], result[size + 1 :]
            # A sum over empty (never written) amounts is NULL.
            row = {
                name: amount or 0.0
                for name, amount in zip(AMOUNTS, amounts, strict=True)
            }
            row["claims"] = count
            row["net_cost"] = row["amount_total"] - row["amount_recovered"]
            row["recovery_rate"] = (
                row["amount_recovered"] / row["amount_claimed"]
                if row["amount_claimed"]
                else None
            )
            rows.append((groups, row))
        return rows

    def _write_sheet(self, book, name, key_columns, rows):
        table = book.table(name, [*key_columns, *self._cost_columns()])
        keys = [column.key for column in key_columns]
        for key_values, row in rows:
            row.update(zip(keys, key_values, strict=True))
            table.add_row(row)
        table.close()

    def _xlsx_write(self, book, options):
        domain = self._cost_domain(options)
        product_column = XlsxColumn("product", _("Product"), width=32)
        no_product, no_lot, no_supplier = (
            _("No Product"),
            _("No Serial Number"),
            _("No Supplier"),
        )

        def by_label(rows):
            # Alphabetical, the group of the claims without a value last.
            return sorted(
                rows, key=lambda item: (item[0][0] in (no_lot, no_supplier), item[0])
            )

        rows = self._cost_groups(domain, ["product_id"])
        self._write_sheet(
            book,
            _("By Product"),
            [product_column],
            by_label(
                ((product.display_name if product else no_product,), row)
                for (product,), row in rows
            ),
        )

        rows = self._cost_groups(domain, ["lot_id", "product_id"])
        self._write_sheet(
            book,
            _("By Serial Number"),
            [XlsxColumn("lot", _("Lot/Serial Number"), width=20), product_column],
            by_label(
                (
                    (
                        lot.name if lot else no_lot,
                        product.display_name if product else no_product,
                    ),
                    row,
                )
                for (lot, product), row in rows
            ),
        )

        rows = self._cost_groups(domain, ["supplier_id"])
        self._write_sheet(
            book,
            _("By Supplier"),
            [XlsxColumn("supplier", _("Supplier"), width=28)],
            by_label(
                ((supplier.display_name if supplier else no_supplier,), row)
                for (supplier,), row in rows
            ),
        )

        rows = self._cost_groups(domain, ["date:month"])
        self._write_sheet(
            book,
            _("By Month"),
            [XlsxColumn("month", _("Month"), "month")],
            [
                ((month.date() if isinstance(month, datetime) else month,), row)
                for (month,), row in rows
            ],
        )
        write_notes(
            self.env,
            book,
            [
                (
                    _("Warranty Claims"),
                    _(
                        "Approved and settled warranty claims dated in the period "
                        "(claim date); drafts, submitted, sent back and rejected "
                        "claims are not a cost."
                    ),
                ),
                (
                    _("Warranty Cost"),
                    _(
                        "Parts at cost, labour and mileage at the internal rates, "
                        "and other costs, in the company's currency."
                    ),
                ),
                (
                    _("Recovery"),
                    _(
                        "Claimed from Supplier: cost of the claims where a supplier "
                        "is liable. Recovered: posted supplier credit notes. "
                        "Recovery rate: recovered divided by claimed. Net cost: "
                        "warranty cost less recovered."
                    ),
                ),
            ],
        )
