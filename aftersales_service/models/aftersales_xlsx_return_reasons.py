from odoo import _, models
from odoo.tools import SQL

from .aftersales_xlsx_helpers import stream_rows, write_notes
from .xlsx_writer import XlsxColumn

FIGURES = (
    "lines",
    "quantity",
    "qty_received",
    "amount",
    "qty_refunded",
    "amount_refunded",
)


class AftersalesXlsxReturnReasons(models.AbstractModel):
    """Return lines of the tickets received in the period, per reason, product,
    responsible department and disposition, and one row per line.

    The period is the ticket's date received: a return line has no date of
    its own and belongs to the customer's request. Cancelled lines are left
    out. Values are in the company's currency: the sale line's net price
    converted at the order's rate; refunded amounts are the lines of the
    return's credit notes that are not cancelled, as the refunded quantity.
    """

    _name = "aftersales.xlsx.return.reasons"
    _inherit = "aftersales.xlsx.report"
    _description = "Returns and Reasons"
    _xlsx_sequence = 30

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def _return_domain(self, options):
        # The product filter applies to the returned product, not the ticket's.
        domain = [
            condition
            for condition in options._ticket_domain("ticket_id.")
            if condition[0] != "ticket_id.product_id"
        ]
        if options.product_ids:
            domain.append(("product_id", "in", options.product_ids.ids))
        return [
            *domain,
            *options._period_domain("ticket_id.date_received"),
            ("state", "!=", "cancel"),
        ]

    def _return_base(self, options, with_refunds):
        """One row per return line the user may read, with its value and
        refunded amount in the company's currency."""
        lines = self.env["aftersales.return.line"]._search(self._return_domain(options))
        refunded = SQL("NULL::numeric")
        join = SQL()
        if with_refunds:
            refund_lines = self.env["account.move.line"]._search(
                [
                    ("aftersales_return_line_id", "in", lines),
                    ("parent_state", "!=", "cancel"),
                    ("display_type", "=", "product"),
                ]
            )
            refunded = SQL("ref.amount")
            join = SQL(
                """
                LEFT JOIN (
                    SELECT aml.aftersales_return_line_id AS line_id,
                           SUM(aml.balance) AS amount
                      FROM account_move_line aml
                     WHERE aml.id IN %s
                  GROUP BY aml.aftersales_return_line_id
                ) ref ON ref.line_id = l.id
                """,
                refund_lines.subselect(),
            )
        return SQL(
            """
            SELECT l.*,
                   ROUND(
                       (l.quantity / line_uom.factor * sale_uom.factor
                        * sol.price_unit * (1 - COALESCE(sol.discount, 0) / 100.0)
                        / COALESCE(NULLIF(so.currency_rate, 0), 1))::numeric,
                       cur.decimal_places
                   ) AS amount,
                   %(refunded)s AS refund_amount
              FROM aftersales_return_line l
              JOIN sale_order_line sol ON sol.id = l.sale_line_id
              JOIN sale_order so ON so.id = sol.order_id
              JOIN uom_uom line_uom ON line_uom.id = l.uom_id
              JOIN uom_uom sale_uom ON sale_uom.id = sol.product_uom
              JOIN res_company company ON company.id = l.company_id
              JOIN res_currency cur ON cur.id = company.currency_id
              %(join)s
             WHERE l.id IN %(ids)s
            """,
            refunded=refunded,
            join=join,
            ids=lines.subselect(),
        )

    def _return_groups(self, base, key):
        """{key value: figures} of the lines grouped by one column."""
        self.env.cr.execute(
            SQL(
                """
                WITH base AS (%(base)s)
                SELECT base.%(key)s AS key,
                       COUNT(*) AS lines,
                       SUM(base.quantity) AS quantity,
                       SUM(base.qty_received) AS qty_received,
                       SUM(base.amount) AS amount,
                       SUM(base.qty_refunded) AS qty_refunded,
                       SUM(base.refund_amount) AS amount_refunded
                  FROM base
              GROUP BY base.%(key)s
                """,
                base=base,
                key=SQL.identifier(key),
            )
        )
        return {row.pop("key"): row for row in self.env.cr.dictfetchall()}

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------

    def _figure_columns(self, with_refunds):
        columns = [
            XlsxColumn("lines", _("Return Lines"), "int", width=10, total="sum"),
            XlsxColumn("quantity", _("Quantity"), "float", total="sum"),
            XlsxColumn("qty_received", _("Received Qty"), "float", total="sum"),
            XlsxColumn("amount", _("Value"), "money", total="sum"),
            XlsxColumn("qty_refunded", _("Refunded Qty"), "float", total="sum"),
        ]
        if with_refunds:
            columns.append(
                XlsxColumn(
                    "amount_refunded", _("Refunded Amount"), "money", total="sum"
                )
            )
        return columns

    def _write_group_sheet(self, book, name, key_columns, rows, with_refunds):
        """``rows``: (key values, figures) in the order of the sheet."""
        table = book.table(name, [*key_columns, *self._figure_columns(with_refunds)])
        keys = [column.key for column in key_columns]
        for key_values, figures in rows:
            row = {key: float(value or 0) for key, value in figures.items()}
            row["lines"] = int(figures["lines"])
            if not with_refunds:
                row.pop("amount_refunded", None)
            row.update(zip(keys, key_values, strict=True))
            table.add_row(row)
        table.close()

    def _xlsx_write(self, book, options):
        with_refunds = self.env["account.move.line"].has_access("read")
        base = self._return_base(options, with_refunds)
        not_set = _("Not Set")

        groups = self._return_groups(base, "reason_id")
        reasons = (
            self.env["aftersales.return.reason"]
            .browse(groups)
            .sorted(lambda reason: (reason.sequence, reason.id))
        )
        self._write_group_sheet(
            book,
            _("By Reason"),
            [
                XlsxColumn("reason", _("Return Reason"), width=26),
                XlsxColumn("quality", _("Quality Problem"), "bool", width=10),
            ],
            [
                ((reason.display_name, reason.is_quality), groups[reason.id])
                for reason in reasons
            ],
            with_refunds,
        )

        groups = self._return_groups(base, "product_id")
        products = self.env["product.product"].browse(groups)
        self._write_group_sheet(
            book,
            _("By Product"),
            [XlsxColumn("product", _("Product"), width=32)],
            sorted(
                (((product.display_name,), groups[product.id]) for product in products),
                key=lambda item: item[0],
            ),
            with_refunds,
        )

        for name, field, label in (
            (_("By Department"), "department", _("Responsible Department")),
            (_("By Disposition"), "disposition", _("Disposition")),
        ):
            groups = self._return_groups(base, field)
            labels = self._xlsx_labels("aftersales.return.line", field)
            order = [*labels, None]
            self._write_group_sheet(
                book,
                name,
                [XlsxColumn("group", label, width=24)],
                [
                    ((labels.get(value, not_set),), groups[value])
                    for value in order
                    if value in groups
                ],
                with_refunds,
            )

        self._write_detail(book, base, with_refunds)
        notes = [
            (
                _("Period"),
                _(
                    "Return lines of the tickets received in the period (the "
                    "ticket's date received); cancelled lines are left out."
                ),
            ),
            (
                _("Value"),
                _(
                    "Quantity returned at the sale line's net price, in the "
                    "company's currency at the sale order's rate."
                ),
            ),
            (
                _("Refunded"),
                _(
                    "Quantities and amounts of the return's credit notes that are "
                    "not cancelled (drafts included), amounts in the company's "
                    "currency without taxes."
                ),
            ),
        ]
        if not with_refunds:
            notes.append(
                (
                    _("Refunded Amount"),
                    _("Left out: reading credit notes needs accounting rights."),
                )
            )
        write_notes(self.env, book, notes)

    def _detail_columns(self, with_refunds):
        columns = [
            XlsxColumn("ticket", _("Ticket"), width=14, total="count"),
            XlsxColumn("date_received", _("Ticket Received"), "datetime"),
            XlsxColumn("partner", _("Customer"), width=26),
            XlsxColumn("product", _("Product"), width=30),
            XlsxColumn("lot", _("Lot/Serial Number"), width=16),
            XlsxColumn("reason", _("Return Reason"), width=22),
            XlsxColumn("outcome", _("Requested Outcome"), width=16),
            XlsxColumn("state", _("Status"), width=12),
            XlsxColumn("inspection", _("Inspection Result"), width=16),
            XlsxColumn("responsibility", _("Responsibility"), width=14),
            XlsxColumn("department", _("Responsible Department"), width=18),
            XlsxColumn("disposition", _("Disposition"), width=14),
            XlsxColumn("root_cause", _("Root Cause"), "long", width=36),
            XlsxColumn("quantity", _("Quantity"), "float", total="sum"),
            XlsxColumn("uom", _("Unit of Measure"), width=10),
            XlsxColumn("qty_received", _("Received Qty"), "float", total="sum"),
            XlsxColumn("amount", _("Value"), "money", total="sum"),
            XlsxColumn("qty_refunded", _("Refunded Qty"), "float", total="sum"),
        ]
        if with_refunds:
            columns.append(
                XlsxColumn(
                    "amount_refunded", _("Refunded Amount"), "money", total="sum"
                )
            )
        return columns

    def _write_detail(self, book, base, with_refunds):
        columns = self._detail_columns(with_refunds)
        table = book.table(_("Return Lines"), columns)
        labels = {
            field: self._xlsx_labels("aftersales.return.line", field)
            for field in (
                "outcome",
                "state",
                "inspection_result",
                "responsibility",
                "department",
                "disposition",
            )
        }
        name = self._xlsx_translated
        query = SQL(
            """
            WITH base AS (%(base)s)
            SELECT t.name AS ticket,
                   t.date_received,
                   partner.complete_name AS partner,
                   CASE WHEN pp.default_code IS NOT NULL
                        THEN '[' || pp.default_code || '] ' || %(product)s
                        ELSE %(product)s END AS product,
                   lot.name AS lot,
                   %(reason)s AS reason,
                   base.outcome, base.state,
                   base.inspection_result AS inspection,
                   base.responsibility, base.department, base.disposition,
                   base.root_cause,
                   base.quantity,
                   %(uom)s AS uom,
                   base.qty_received, base.amount, base.qty_refunded,
                   base.refund_amount AS amount_refunded
              FROM base
              JOIN aftersales_ticket t ON t.id = base.ticket_id
              JOIN product_product pp ON pp.id = base.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom uom ON uom.id = base.uom_id
              LEFT JOIN res_partner partner ON partner.id = base.commercial_partner_id
              LEFT JOIN stock_lot lot ON lot.id = base.lot_id
              LEFT JOIN aftersales_return_reason reason ON reason.id = base.reason_id
          ORDER BY t.date_received, t.id, base.sequence, base.id
            """,
            base=base,
            product=name(SQL("pt.name")),
            reason=name(SQL("reason.name")),
            uom=name(SQL("uom.name")),
        )
        keys = [column.key for column in columns]
        for row in stream_rows(self.env.cr, query, f"aftersales_returns_{id(self)}"):
            row["outcome"] = labels["outcome"].get(row["outcome"])
            row["state"] = labels["state"].get(row["state"])
            row["inspection"] = labels["inspection_result"].get(row["inspection"])
            row["responsibility"] = labels["responsibility"].get(row["responsibility"])
            row["department"] = labels["department"].get(row["department"])
            row["disposition"] = labels["disposition"].get(row["disposition"])
            for key in FIGURES[1:]:
                row[key] = float(row[key] or 0)
            table.add_row([row.get(key) for key in keys])
        table.close()
