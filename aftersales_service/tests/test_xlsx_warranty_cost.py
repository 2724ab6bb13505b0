from collections import defaultdict
from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.tests import Form, tagged

from .warranty_claim_common import WarrantyClaimCommon
from .xlsx_export_common import XlsxExportMixin

REPORT = "aftersales.xlsx.warranty.cost"
# Header: the claim's field summed in it.
AMOUNTS = {
    "Parts Cost": "parts_cost",
    "Labour Cost": "labour_cost",
    "Mileage Cost": "travel_cost",
    "Other Costs": "other_cost",
    "Warranty Cost": "amount_total",
    "Claimed from Supplier": "amount_claimed",
    "Recovered": "amount_recovered",
}
HEADERS = ["Claims", *AMOUNTS, "Recovery Rate", "Net Cost"]


@tagged("post_install", "-at_install")
class TestXlsxWarrantyCost(XlsxExportMixin, WarrantyClaimCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.fuser, cls.van, 20)
        Quant._update_available_quantity(cls.roller, cls.van, 10)
        cls.scope = {"team_ids": [Command.set((cls.team | cls.other_team).ids)]}

    def _claim(self, parts, responsibility="supplier", on=None, approve=True, **ticket):
        """A claim of a completed warranty visit, dated ``on``, approved."""
        ticket = self._warranty_ticket(user_id=self.technician.id, **ticket)
        self._done_visit(ticket, parts=parts)
        claim = ticket.claim_ids
        if on:
            claim.date = on
        self._submitted(claim, responsibility)
        if approve:
            claim.with_user(self.manager).action_approve()
            self.assertEqual(claim.state, "approved")
        return claim

    def _recover(self, claims, prices=None):
        """Claim from the supplier and post its credit note; ``prices`` {claim:
        amount the supplier accepts}."""
        claims.with_user(self.accountant).action_claim_from_supplier()
        recovery = claims.recovery_id
        self.assertEqual(len(recovery), 1)
        action = recovery.with_user(self.accountant).action_create_credit_note()
        refund = self.env["account.move"].browse(action["res_id"])
        lines = refund.invoice_line_ids
        for claim, price in (prices or {}).items():
            index = lines.ids.index(
                lines.filtered(lambda line, c=claim: line.aftersales_claim_id == c).id
            )
            with Form(refund.with_user(self.accountant)) as form:
                with form.invoice_line_ids.edit(index) as line:
                    line.price_unit = price
        refund.with_user(self.accountant).action_post()

    def _scenario(self):
        today = fields.Date.context_today(self.env.user)
        last_month = today.replace(day=1) - timedelta(days=1)
        fuser_1 = self._claim([(self.fuser, 2)])
        fuser_2 = self._claim([(self.fuser, 2)], lot_id=self.serial_2.id)
        roller = self._claim([(self.roller, 1)], on=last_month)
        company = self._claim(
            [(self.fuser, 1)], responsibility="company", team_id=self.other_team.id
        )
        self._recover(fuser_1 | fuser_2, {fuser_2: 200.0})
        # Not a cost: still submitted, or dated before the period.
        self._claim([(self.fuser, 1)], approve=False)
        self._claim([(self.fuser, 1)], on=last_month - timedelta(days=62))
        counted = fuser_1 | fuser_2 | roller | company
        # The figures the workbook adds up, checked by hand on the first claims.
        self.assertRecordValues(
            fuser_1 | fuser_2,
            [
                {
                    "state": "settled",
                    "amount_total": 330.0,
                    "amount_claimed": 330.0,
                    "amount_recovered": 330.0,
                },
                {
                    "state": "settled",
                    "amount_total": 330.0,
                    "amount_claimed": 330.0,
                    "amount_recovered": 200.0,
                },
            ],
        )
        self.assertEqual(company.amount_claimed, 0.0)
        period = {"date_from": last_month.replace(day=1), "date_to": today}
        return counted, period

    def _expected(self, claims, key):
        groups = defaultdict(lambda: dict.fromkeys(HEADERS, 0.0))
        for claim in claims:
            row = groups[key(claim)]
            row["Claims"] += 1
            for header, field in AMOUNTS.items():
                row[header] += claim[field]
        for row in groups.values():
            row["Net Cost"] = row["Warranty Cost"] - row["Recovered"]
            claimed = row["Claimed from Supplier"]
            row["Recovery Rate"] = row["Recovered"] / claimed if claimed else None
        return dict(groups)

    def _totals(self, expected):
        totals = {
            header: sum(row[header] for row in expected.values())
            for header in HEADERS
            if header != "Recovery Rate"
        }
        claimed, recovered = totals["Claimed from Supplier"], totals["Recovered"]
        totals["Recovery Rate"] = (
            "Recovered",
            "Claimed from Supplier",
            recovered / claimed if claimed else "",
        )
        return totals

    def test_cost_and_recovery_per_product_lot_supplier_and_month(self):
        claims, period = self._scenario()
        content = self._export(REPORT, **period, **self.scope)
        tables = self._tables(content)
        self.assertEqual(
            list(tables),
            [
                "By Product",
                "By Serial Number",
                "By Supplier",
                "By Month",
                "Notes",
                "Parameters",
            ],
        )
        printer = self.serial_product.display_name
        for name, key_headers, key in (
            ("By Product", ["Product"], lambda c: c.product_id.display_name),
            (
                "By Supplier",
                ["Supplier"],
                lambda c: c.supplier_id.name or "No Supplier",
            ),
            (
                "By Month",
                ["Month"],
                lambda c: datetime.combine(c.date.replace(day=1), datetime.min.time()),
            ),
            (
                "By Serial Number",
                ["Lot/Serial Number", "Product"],
                lambda c: c.lot_id.name,
            ),
        ):
            table = tables[name]
            self.assertEqual(table[0], [*key_headers, *HEADERS], name)
            expected = self._expected(claims, key)
            self._assert_rows(table, key_headers[0], expected)
            self._assert_totals(content, name, table, self._totals(expected))

        self.assertEqual(
            [
                (r["Lot/Serial Number"], r["Product"])
                for r in tables["By Serial Number"][1]
            ],
            [("LP200-0001", printer), ("LP200-0002", printer)],
        )
        suppliers = {row["Supplier"]: row for row in tables["By Supplier"][1]}
        self.assertEqual(
            list(suppliers), ["Fuser Works Ltd", "Roller Parts Co", "No Supplier"]
        )
        fuser_works = suppliers["Fuser Works Ltd"]
        self.assertEqual(fuser_works["Claims"], 2)
        self.assertAlmostEqual(fuser_works["Claimed from Supplier"], 660.0)
        self.assertAlmostEqual(fuser_works["Recovered"], 530.0)
        self.assertAlmostEqual(fuser_works["Recovery Rate"], 530.0 / 660.0)
        self.assertAlmostEqual(fuser_works["Net Cost"], 130.0)
        self.assertIsNone(suppliers["No Supplier"]["Recovery Rate"])
        self.assertEqual(
            [row["Month"].date() for row in tables["By Month"][1]],
            [period["date_from"], period["date_to"].replace(day=1)],
        )
        notes = " ".join(row["Note"] for row in tables["Notes"][1])
        self.assertIn("Approved and settled", notes)

    def test_technician_exports_the_claims_they_may_read(self):
        claims, period = self._scenario()
        content = self._export(REPORT, user=self.other_technician, **period)
        rows = self._tables(content)["By Product"][1]
        visible = claims.filtered(lambda c: c.ticket_id.team_id == self.other_team)
        self.assertEqual(len(visible), 1)
        self._assert_rows(
            self._tables(content)["By Product"],
            "Product",
            self._expected(visible, lambda c: c.product_id.display_name),
        )
        self.assertEqual(len(rows), 1)

    def test_print_menu_opens_the_wizard_over_the_claim_dates(self):
        claims, _period = self._scenario()
        selection = claims.filtered(lambda c: c.responsibility == "supplier")
        action = (
            self.env.ref(
                "aftersales_service.aftersales_warranty_claim_action_print_warranty_cost"
            )
            .with_context(active_model=selection._name, active_ids=selection.ids)
            .run()
        )
        form = Form.from_action(self.env, action)
        self.assertEqual(form.report, REPORT)
        self.assertEqual(form.date_from, min(selection.mapped("date")))
        self.assertEqual(form.date_to, max(selection.mapped("date")))
        wizard = form.save()
        self.assertEqual(wizard.ticket_ids, selection.ticket_id)
        rows = self._tables(self._download(wizard))["By Supplier"][1]
        self.assertEqual(
            {row["Supplier"]: row["Claims"] for row in rows},
            {"Fuser Works Ltd": 2, "Roller Parts Co": 1},
        )

    def test_query_count_does_not_grow_with_claims(self):
        self._claim([(self.fuser, 1)], on=date(2025, 1, 15))
        for index, (parts, lot, responsibility) in enumerate(
            [
                ([(self.fuser, 1)], self.serial_1, "supplier"),
                ([(self.roller, 1)], self.serial_2, "supplier"),
                ([(self.fuser, 2)], self.serial_2, "company"),
                ([(self.roller, 2)], self.serial_1, "supplier"),
                ([(self.fuser, 1), (self.roller, 1)], self.serial_1, "company"),
            ]
        ):
            self._claim(
                parts,
                responsibility,
                on=date(2025, 3 + index % 3, 10 + index),
                lot_id=lot.id,
            )
        few = self._wizard(
            REPORT, date_from="2025-01-01", date_to="2025-01-31", **self.scope
        )
        many = self._wizard(
            REPORT, date_from="2025-03-01", date_to="2025-05-31", **self.scope
        )
        self._render_queries(few)  # warm up
        cost_few = self._render_queries(few)
        cost_many = self._render_queries(many)
        self.assertEqual(cost_many, cost_few)
        tables = self._tables(many._render()[1])
        self.assertEqual(sum(r["Claims"] for r in tables["By Month"][1]), 5)
        self.assertEqual(len(tables["By Month"][1]), 3)
        self.assertEqual(len(tables["By Serial Number"][1]), 2)
