from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyVerdict(WarrantyCommon):
    def test_equipment_registered_on_delivery_in_company_timezone(self):
        self.assertRecordValues(
            self.equipment,
            [
                {
                    "partner_id": self.customer.id,
                    "product_id": self.printer.id,
                    "picking_id": self.printer_delivery.id,
                    "state": "in_service",
                    "warranty_policy_id": self.category_policy.id,
                }
            ],
        )
        self.assertEqual(str(self.equipment.delivery_date), "2026-03-01")
        self.assertEqual(str(self.equipment.warranty_end), "2027-03-01")

    def test_windows_and_boundaries_from_delivery(self):
        # Received times are UTC; Shanghai is 8 hours ahead.
        cases = [
            ("2026-03-08 15:59:59", "return"),  # 23:59:59 on day 7
            ("2026-03-08 16:00:00", "exchange"),  # 00:00 on day 8
            ("2026-03-16 15:59:59", "exchange"),  # last day of the 15-day window
            ("2026-03-16 16:00:00", "in_warranty"),
            ("2027-03-01 15:59:59", "in_warranty"),  # last day in
            ("2027-03-01 16:00:00", "expired"),  # first day out
        ]
        for received, expected in cases:
            with self.subTest(received=received):
                ticket = self._ticket_on(received)
                self.assertEqual(ticket.warranty_state, expected)
        ticket = self._ticket_on("2026-05-01 02:00:00")
        self.assertEqual(str(ticket.return_until), "2026-03-08")
        self.assertEqual(str(ticket.exchange_until), "2026-03-16")
        self.assertEqual(
            ticket.warranty_reason,
            "In warranty until 2027-03-01: delivered 2026-03-01 on "
            f"{self.printer_delivery.name}, 12-month policy 'Electronics'",
        )
        expired = self._ticket_on("2027-06-01 02:00:00")
        self.assertEqual(
            expired.warranty_reason,
            "Out of warranty since 2027-03-01: delivered 2026-03-01 on "
            f"{self.printer_delivery.name}, 12-month policy 'Electronics'",
        )

    def test_policy_precedence(self):
        Policy = self.env["aftersales.warranty.policy"]
        self.assertEqual(
            Policy._policy_for_products(self.printer, self.company)[self.printer.id],
            self.category_policy,
            "a parent category's policy applies to sub-categories",
        )
        self.sub_category.aftersales_warranty_policy_id = self.company_policy
        self.assertEqual(
            Policy._policy_for_products(self.printer, self.company)[self.printer.id],
            self.company_policy,
        )
        self.printer.aftersales_warranty_policy_id = self.product_policy
        self.assertEqual(
            Policy._policy_for_products(self.printer, self.company)[self.printer.id],
            self.product_policy,
        )
        plain = self.env["product.product"].create({"name": "Cable"})
        self.assertEqual(
            Policy._policy_for_products(plain, self.company)[plain.id],
            self.company_policy,
        )

    def test_installation_basis(self):
        self.equipment.warranty_policy_id = self.product_policy
        # Not installed yet: counted from the delivery.
        self.assertEqual(str(self.equipment.warranty_end), "2028-03-01")
        self.equipment.installation_date = "2026-04-15"
        self.assertEqual(str(self.equipment.warranty_end), "2028-04-15")
        ticket = self._ticket_on("2028-04-15 02:00:00")
        self.assertEqual(ticket.warranty_state, "in_warranty")
        self.assertIn("installed 2026-04-15", ticket.warranty_reason)
        self.assertIn("24-month policy 'Printer 24 Months'", ticket.warranty_reason)
        self.assertEqual(
            self._ticket_on("2028-04-16 02:00:00").warranty_state, "expired"
        )

    def test_invoice_basis(self):
        self.category_policy.start_basis = "invoice"
        self.assertEqual(str(self.equipment.warranty_start), "2026-03-01")
        invoice = self.printer_order._create_invoices()
        invoice.invoice_date = "2026-03-20"
        invoice.action_post()
        self.assertEqual(str(self.equipment.invoice_date), "2026-03-20")
        self.assertEqual(str(self.equipment.warranty_end), "2027-03-20")

    def test_delivery_basis_in_days(self):
        self.category_policy.write({"duration": 90, "duration_unit": "day"})
        self.assertEqual(str(self.equipment.warranty_end), "2026-05-30")
        self.assertEqual(
            self._ticket_on("2026-05-30 02:00:00").warranty_state, "in_warranty"
        )
        self.assertEqual(
            self._ticket_on("2026-05-31 02:00:00").warranty_state, "expired"
        )

    def test_unknown_without_delivery(self):
        ticket = self._new_ticket(
            product_id=self.printer.id, partner_id=self.customer.id
        )
        self.assertEqual(ticket.warranty_state, "unknown")
        self.assertIn("no delivery", ticket.warranty_reason)

    def test_verdict_from_delivery_without_serial(self):
        ticket = self._new_ticket(
            picking_id=self.delivery.id,
            product_id=self.plain_product.id,
            date_received=self.delivery.date_done,
        )
        self.assertEqual(ticket.warranty_state, "return")
        self.assertEqual(ticket.warranty_policy_id, self.company_policy)

    def test_bad_policies_are_refused(self):
        Policy = self.env["aftersales.warranty.policy"]
        bad_values = [
            ({"duration": -1}, "positive length"),
            ({"duration": 0}, "positive length"),
            ({"return_days": -2}, "cannot be negative"),
            (
                {"return_days": 20, "exchange_days": 15},
                "cannot be longer than its exchange",
            ),
            (
                {"duration": 10, "duration_unit": "day", "exchange_days": 15},
                "longer than the warranty",
            ),
            ({"parts_coverage": 120}, "between 0 and 100"),
        ]
        count = Policy.search_count([])
        for values, message in bad_values:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError) as caught:
                    Policy.create({"name": "Bad", **values})
                self.assertIn(message, str(caught.exception))
        self.assertEqual(Policy.search_count([]), count)

    def test_windows_default_from_company_settings(self):
        self.company.write(
            {"aftersales_return_days": 10, "aftersales_exchange_days": 30}
        )
        policy = self.env["aftersales.warranty.policy"].create({"name": "New"})
        self.assertEqual((policy.return_days, policy.exchange_days), (10, 30))
        self.assertEqual(
            self.env["res.company"].create({"name": "X"}).aftersales_return_days, 7
        )

    def test_installation_before_delivery_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.equipment.installation_date = "2026-02-20"
        self.assertIn("before its delivery", str(caught.exception))
        self.assertFalse(self.equipment.installation_date)

    def test_mark_installed(self):
        self.equipment.action_mark_installed()
        self.assertTrue(self.equipment.installation_date)

    def _recompute_cost(self, count):
        """Queries to recompute and read the verdict of ``count`` tickets."""
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Batch {i}",
                    "team_id": self.team.id,
                    "lot_id": self.printer_lots[0].id,
                    "date_received": "2026-06-01 02:00:00",
                }
                for i in range(count)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        tickets = tickets.browse(tickets.ids)
        self.env.add_to_compute(tickets._fields["warranty_state"], tickets)
        before = self.env.cr.sql_log_count
        tickets.flush_recordset()
        tickets.mapped("warranty_reason")
        cost = self.env.cr.sql_log_count - before
        self.assertEqual(set(tickets.mapped("warranty_state")), {"in_warranty"})
        return cost

    def test_verdict_query_count_is_bounded(self):
        """100 verdicts cost what 10 verdicts cost: no query per ticket."""
        small, large = self._recompute_cost(10), self._recompute_cost(100)
        self.assertLessEqual(
            large, small, f"{small} queries for 10 tickets, {large} for 100"
        )
        self.assertLess(large, 20)
