from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, tagged

from .return_common import ReturnCommon
from .xlsx_export_common import XlsxExportMixin

REPORT = "aftersales.xlsx.return.reasons"
FIGURES = [
    "Return Lines",
    "Quantity",
    "Received Qty",
    "Value",
    "Refunded Qty",
    "Refunded Amount",
]


@tagged("post_install", "-at_install")
class TestXlsxReturnReasons(XlsxExportMixin, ReturnCommon):
    """Toner and a printer sent back for a defect or a change of mind, received,
    inspected, refunded, cancelled, or received long ago."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_wrong = cls.env["aftersales.return.reason"].create(
            {"name": "Wrong Item", "default_outcome": "refund", "sequence": 1}
        )
        cls.scope = {"team_ids": [Command.set((cls.team | cls.other_team).ids)]}

    def _period(self):
        today = fields.Date.context_today(self.env.user)
        return {"date_from": today - timedelta(days=1), "date_to": today}

    def _scenario(self):
        """Return lines and what each should show: (line, expected figures)."""
        toner_price = self.toner_line.price_unit
        printer_price = self.serial_line.price_unit
        # Cancelled: left out, and gives its quantity back.
        cancelled = self._return_ticket([(self.toner_line, 1, None, {})])
        cancelled.action_return_submit()
        cancelled.return_line_ids.action_cancel()

        # Received, found defective by production, restocked and refunded.
        refunded_ticket, refunded = self._received_line(qty=2)
        refunded.department = "production"
        self._inspect(refunded, disposition="stock")
        refunded_ticket.action_return_refund()
        credit_note = refunded_ticket.return_refund_ids
        credit_note.with_user(self.accountant).action_post()
        refunded_amount = sum(
            credit_note.invoice_line_ids.filtered(
                lambda aml: aml.display_type == "product"
            ).mapped("price_subtotal")
        )
        self.assertEqual(refunded_amount, 160.0)

        # A change of mind, approved but not received yet.
        approved = self._return_ticket(
            [(self.toner_line, 1, None, {"reason": self.reason_no_reason})]
        )
        approved.action_return_submit()

        # The printer, received and scrapped; quality's responsibility.
        printer_ticket = self._return_ticket([(self.serial_line, 1, self.serial_1, {})])
        printer_ticket.action_return_submit()
        printer_ticket.action_return_receive()
        self._receive(printer_ticket.return_picking_ids)
        printer = printer_ticket.return_line_ids
        printer.department = "quality"
        self._inspect(printer, "not_confirmed", disposition="scrap")

        # Another team's toner, still a draft.
        other = self._return_ticket(
            [(self.toner_line, 1, None, {"reason": self.reason_wrong})]
        )
        other.team_id = self.other_team

        # Received two months ago: outside the period.
        old = self._return_ticket([(self.toner_line, 1, None, {})])
        old.date_received = fields.Datetime.now() - timedelta(days=60)

        defect, no_reason = self.reason_defect.name, self.reason_no_reason.name
        toner, printer_name = (
            self.plain_product.display_name,
            self.serial_product.display_name,
        )
        return [
            (
                refunded,
                {
                    "reason": (defect, True),
                    "product": toner,
                    "department": "Production",
                    "disposition": "Back to Stock",
                    "figures": [1, 2, 2, 2 * toner_price, 2, refunded_amount],
                    "team": self.team,
                },
            ),
            (
                approved.return_line_ids,
                {
                    "reason": (no_reason, False),
                    "product": toner,
                    "department": "Not Set",
                    "disposition": "Not Set",
                    "figures": [1, 1, 0, toner_price, 0, 0],
                    "team": self.team,
                },
            ),
            (
                printer,
                {
                    "reason": (defect, True),
                    "product": printer_name,
                    "department": "Quality",
                    "disposition": "Scrap",
                    "figures": [1, 1, 1, printer_price, 0, 0],
                    "team": self.team,
                },
            ),
            (
                other.return_line_ids,
                {
                    "reason": ("Wrong Item", False),
                    "product": toner,
                    "department": "Not Set",
                    "disposition": "Not Set",
                    "figures": [1, 1, 0, toner_price, 0, 0],
                    "team": self.other_team,
                },
            ),
        ]

    def _expected(self, scenario, key, figures=None):
        figures = figures or FIGURES
        groups = defaultdict(lambda: [0.0] * len(FIGURES))
        for _line, spec in scenario:
            totals = groups[spec[key] if key != "reason" else spec[key][0]]
            for index, value in enumerate(spec["figures"]):
                totals[index] += value
        return {
            group: {
                header: float(value)
                for header, value in zip(FIGURES, values, strict=True)
                if header in figures
            }
            for group, values in groups.items()
        }

    def _check_sheet(self, content, tables, name, key_header, expected, figures):
        table = tables[name]
        self._assert_rows(table, key_header, expected)
        self._assert_totals(
            content,
            name,
            table,
            {
                header: sum(row[header] for row in expected.values())
                for header in figures
            },
        )

    def test_returns_per_reason_product_department_disposition(self):
        scenario = self._scenario()
        content = self._export(REPORT, **self._period(), **self.scope)
        tables = self._tables(content)
        self.assertEqual(
            list(tables),
            [
                "By Reason",
                "By Product",
                "By Department",
                "By Disposition",
                "Return Lines",
                "Notes",
                "Parameters",
            ],
        )
        self.assertEqual(
            tables["By Reason"][0], ["Return Reason", "Quality Problem", *FIGURES]
        )
        for name, key_header, key in (
            ("By Reason", "Return Reason", "reason"),
            ("By Product", "Product", "product"),
            ("By Department", "Responsible Department", "department"),
            ("By Disposition", "Disposition", "disposition"),
        ):
            if name != "By Reason":
                self.assertEqual(tables[name][0], [key_header, *FIGURES], name)
            self._check_sheet(
                content,
                tables,
                name,
                key_header,
                self._expected(scenario, key),
                FIGURES,
            )
        # Reasons in their configured order, with their quality flag.
        self.assertEqual(
            [
                (r["Return Reason"], r["Quality Problem"])
                for r in tables["By Reason"][1]
            ],
            [("Wrong Item", "No"), ("Defective", "Yes"), ("Changed mind", "No")],
        )
        # Departments in the order of the list, the lines without one last.
        self.assertEqual(
            [row["Responsible Department"] for row in tables["By Department"][1]],
            ["Production", "Quality", "Not Set"],
        )

        headers, rows, totals = tables["Return Lines"]
        self.assertEqual(len(rows), len(scenario))
        self.assertEqual(
            headers,
            [
                "Ticket",
                "Ticket Received",
                "Customer",
                "Product",
                "Lot/Serial Number",
                "Return Reason",
                "Requested Outcome",
                "Status",
                "Inspection Result",
                "Responsibility",
                "Responsible Department",
                "Disposition",
                "Root Cause",
                "Quantity",
                "Unit of Measure",
                "Received Qty",
                "Value",
                "Refunded Qty",
                "Refunded Amount",
            ],
        )
        by_ticket = {row["Ticket"]: row for row in rows}
        for line, spec in scenario:
            row = by_ticket[line.ticket_id.name]
            self.assertEqual(row["Product"], spec["product"])
            self.assertEqual(row["Return Reason"], spec["reason"][0])
            self.assertEqual(row["Customer"], "Acme Trading")
            figures = [1, *[row[header] for header in FIGURES[1:]]]
            for actual, expected in zip(figures, spec["figures"], strict=True):
                self.assertAlmostEqual(actual, expected, places=2)
        printer_row = by_ticket[scenario[2][0].ticket_id.name]
        self.assertEqual(printer_row["Lot/Serial Number"], "LP200-0001")
        self.assertEqual(printer_row["Inspection Result"], "Defect Not Confirmed")
        self.assertEqual(printer_row["Requested Outcome"], "Refund")
        refunded_row = by_ticket[scenario[0][0].ticket_id.name]
        self.assertEqual(refunded_row["Status"], "Inspected")
        self.assertEqual(refunded_row["Unit of Measure"], "Units")
        self.assertEqual(totals["Ticket"], f"=SUBTOTAL(103,A2:A{len(rows) + 1})")
        self._assert_totals(
            content,
            "Return Lines",
            tables["Return Lines"],
            {
                header: sum(
                    spec["figures"][FIGURES.index(header)] for _l, spec in scenario
                )
                for header in FIGURES[1:]
            },
        )

    def test_technician_sees_their_teams_lines_without_credit_notes(self):
        scenario = self._scenario()
        mine = [item for item in scenario if item[1]["team"] == self.team]
        content = self._export(
            REPORT, user=self.technician, **self._period(), **self.scope
        )
        tables = self._tables(content)
        figures = FIGURES[:-1]
        self.assertEqual(tables["By Product"][0], ["Product", *figures])
        self._check_sheet(
            content,
            tables,
            "By Reason",
            "Return Reason",
            self._expected(mine, "reason", figures),
            figures,
        )
        self.assertEqual(len(tables["Return Lines"][1]), len(mine))
        notes = {row["Topic"]: row["Note"] for row in tables["Notes"][1]}
        self.assertIn("accounting rights", notes["Refunded Amount"])

    def test_print_menu_opens_the_wizard_on_the_lines_tickets(self):
        scenario = self._scenario()
        lines = scenario[0][0] | scenario[1][0]
        action = (
            self.env.ref(
                "aftersales_service.aftersales_return_line_action_print_return_reasons"
            )
            .with_context(active_model=lines._name, active_ids=lines.ids)
            .run()
        )
        form = Form.from_action(self.env, action)
        self.assertEqual(form.report, REPORT)
        received = lines.ticket_id.mapped("date_received")
        self.assertEqual(
            form.date_from,
            fields.Date.context_today(self.env.user, min(received)),
        )
        wizard = form.save()
        self.assertEqual(wizard.ticket_ids, lines.ticket_id)
        rows = self._tables(self._download(wizard))["Return Lines"][1]
        self.assertEqual(
            sorted(row["Ticket"] for row in rows),
            sorted(lines.ticket_id.mapped("name")),
        )

    def test_query_count_does_not_grow_with_lines(self):
        order = self._sell_and_deliver(
            self.customer_contact, [(self.plain_product, 20, None)]
        )
        sale_line = order.order_line
        few = self._return_ticket([(sale_line, 1, None, {})])
        reasons = self.reason_defect | self.reason_no_reason | self.reason_wrong
        many = self._return_ticket(
            [(sale_line, 1, None, {"reason": reasons[index % 3]}) for index in range(8)]
            + [(self.serial_line, 1, self.serial_1, {})]
        )
        many.return_line_ids[:3].department = "sales"
        many.return_line_ids[3:5].department = "logistics"
        self.env.flush_all()
        few_wizard = self._wizard(
            REPORT, ticket_ids=[Command.set(few.ids)], **self._period()
        )
        many_wizard = self._wizard(
            REPORT, ticket_ids=[Command.set(many.ids)], **self._period()
        )
        self._render_queries(few_wizard)  # warm up
        cost_few = self._render_queries(few_wizard)
        cost_many = self._render_queries(many_wizard)
        self.assertEqual(cost_many, cost_few)
        tables = self._tables(many_wizard._render()[1])
        self.assertEqual(len(tables["Return Lines"][1]), 9)
        self.assertEqual(len(tables["By Reason"][1]), 3)
        self.assertEqual(len(tables["By Product"][1]), 2)
