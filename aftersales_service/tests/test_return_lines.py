from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .return_common import ReturnCommon


@tagged("post_install", "-at_install")
class TestReturnLines(ReturnCommon):
    def test_over_return_refused_with_returnable_quantity(self):
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self._return_ticket([(self.toner_line, 6, None, {})])
        self.assertIn("at most 5.0", str(error.exception))
        first = self._return_ticket([(self.toner_line, 3, None, {})])
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self._return_ticket([(self.toner_line, 3, None, {})])
        self.assertIn("at most 2.0", str(error.exception))
        # Raising the quantity of a line is checked the same way.
        with self.assertRaises(ValidationError), self.cr.savepoint():
            first.return_line_ids.quantity = 6
        self.assertEqual(first.return_line_ids.quantity, 3)

    def test_odoo_return_counts(self):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=self.delivery.id, active_model="stock.picking"
            )
        ).save()
        for return_line in wizard.product_return_moves:
            return_line.quantity = (
                4 if return_line.product_id == self.plain_product else 0
            )
        picking = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        self._validate(picking)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.toner_line, 2, None, {})])
        self._return_ticket([(self.toner_line, 1, None, {})])

    def test_lot_must_have_been_delivered(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.serial_line, 1, self.serial_2, {})])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.serial_line, 1, None, {})])
        ticket = self._return_ticket([(self.serial_line, 1, self.serial_1, {})])
        self.assertEqual(ticket.return_line_ids.lot_id, self.serial_1)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(self.serial_line, 1, self.serial_1, {})])

    def test_other_customers_order_refused(self):
        other_line = self.other_order.order_line
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._return_ticket([(other_line, 1, self.serial_2, {})])

    def test_approval_above_amount(self):
        self.company.aftersales_return_approval_amount = 1000.0
        ticket = self._return_ticket([(self.serial_line, 1, self.serial_1, {})])
        line = ticket.return_line_ids
        self.assertTrue(line.in_window)
        self.assertTrue(line.needs_approval)
        ticket.action_return_submit()
        self.assertEqual(line.state, "to_approve")
        self.assertFalse(ticket.return_can_receive)
        with self.assertRaises(UserError), self.cr.savepoint():
            ticket.action_return_receive()
        with self.assertRaises(AccessError), self.cr.savepoint():
            ticket.with_user(self.agent).action_return_approve()
        self.assertEqual(line.state, "to_approve")
        ticket.with_user(self.manager).action_return_approve()
        self.assertEqual(line.state, "approved")
        self.assertEqual(line.approved_uid, self.manager)
        ticket.action_return_receive()
        self.assertEqual(line.state, "receiving")

    def test_approval_outside_window(self):
        ticket = self._return_ticket(
            [(self.toner_line, 1, None, {"reason": self.reason_no_reason})]
        )
        line = ticket.return_line_ids
        self.assertTrue(line.in_window)
        ticket.date_received = ticket.date_received + timedelta(days=10)
        self.assertFalse(line.in_window, "no-reason returns: 7 days")
        self.assertTrue(line.needs_approval)
        line.reason_id = self.reason_defect
        self.assertTrue(line.in_window, "quality returns: 3 months")
        ticket.date_received = ticket.date_received + timedelta(days=100)
        self.assertFalse(line.in_window)
        ticket.action_return_submit()
        self.assertEqual(line.state, "to_approve")

    def test_settings_defaults(self):
        company = self.env["res.company"].create({"name": "Fresh Co."})
        self.assertEqual(company.aftersales_return_approval_amount, 5000.0)
        self.assertEqual(company.aftersales_quality_return_months, 3)
        self.assertEqual(company.aftersales_return_repair_days, 5)
        self.assertEqual(company.aftersales_return_days, 7)
        self.assertEqual(company.aftersales_exchange_days, 15)
        self.assertFalse(company.aftersales_refund_without_return)

    def test_started_line_is_frozen(self):
        ticket = self._return_ticket([(self.toner_line, 2, None, {})])
        ticket.action_return_submit()
        line = ticket.return_line_ids
        with self.assertRaises(UserError), self.cr.savepoint():
            line.quantity = 1
        with self.assertRaises(UserError), self.cr.savepoint():
            line.unlink()
        self.assertEqual(line.quantity, 2)

    def test_analysis_groups_by_reason_product_department(self):
        ticket = self._return_ticket(
            [(self.toner_line, 2, None, {"department": "quality"})]
        )
        groups = self.env["aftersales.return.line"]._read_group(
            [("ticket_id", "=", ticket.id)],
            ["reason_id", "product_id", "department"],
            ["quantity:sum"],
        )
        self.assertEqual(
            groups, [(self.reason_defect, self.plain_product, "quality", 2.0)]
        )
