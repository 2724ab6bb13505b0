from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .return_common import ReturnCommon


@tagged("post_install", "-at_install")
class TestReturnSecurity(ReturnCommon):
    def test_agent_runs_the_return_but_cannot_post(self):
        ticket = self._return_ticket([(self.toner_line, 2, None, {})], user=self.agent)
        ticket.action_return_submit()
        self.assertTrue(ticket.action_return_receive())
        self._receive(ticket.sudo().return_picking_ids)
        line = ticket.return_line_ids
        self._inspect(line)
        ticket.action_return_refund()
        credit_note = ticket.sudo().return_refund_ids
        self.assertEqual(credit_note.state, "draft")
        with self.assertRaises(AccessError), self.cr.savepoint():
            credit_note.with_user(self.agent).action_post()
        self.assertEqual(credit_note.state, "draft")
        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(credit_note.state, "posted")

    def test_warehouse_moves_goods_only(self):
        ticket = self._return_ticket([(self.toner_line, 1, None, {})])
        ticket.action_return_submit()
        ticket.action_return_receive()
        line = ticket.return_line_ids
        with self.assertRaises(AccessError), self.cr.savepoint():
            line.with_user(self.warehouse_user).read(["quantity"])
        with self.assertRaises(AccessError), self.cr.savepoint():
            ticket.with_user(self.warehouse_user).action_return_receive()
        self._receive(ticket.return_picking_ids)
        self.assertEqual(line.state, "received")

    def test_accounting_posts_but_does_not_run_returns(self):
        ticket, line = self._received_line(qty=1)
        self._inspect(line)
        with self.assertRaises(AccessError), self.cr.savepoint():
            line.with_user(self.accountant).read(["quantity"])
        with self.assertRaises(AccessError), self.cr.savepoint():
            ticket.with_user(self.accountant).action_return_refund()
        self.assertFalse(ticket.return_refund_ids)

    def test_technician_inspects_but_does_not_request(self):
        ticket, line = self._received_line(qty=1)
        ticket.user_id = self.technician
        tech_line = line.with_user(self.technician)
        with Form(tech_line) as form:
            form.inspection_result = "defect_confirmed"
            form.department = "production"
        tech_line.action_confirm_inspection()
        self.assertEqual(line.inspection_uid, self.technician)
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["aftersales.return.line"].with_user(self.technician).create(
                {
                    "ticket_id": ticket.id,
                    "sale_line_id": self.toner_line.id,
                    "quantity": 1,
                    "reason_id": self.reason_defect.id,
                }
            )
        with self.assertRaises(AccessError), self.cr.savepoint():
            ticket.with_user(self.technician).action_return_submit()
        # Lines of tickets outside the technician's teams stay hidden.
        hidden = self._return_ticket([(self.toner_line, 1, None, {})])
        hidden.team_id = self.other_team
        lines = self.env["aftersales.return.line"].with_user(self.technician).search([])
        self.assertIn(line, lines)
        self.assertNotIn(hidden.return_line_ids, lines)

    def test_other_company_sees_nothing(self):
        ticket = self._return_ticket([(self.toner_line, 1, None, {})])
        line = ticket.return_line_ids
        other = self.env["aftersales.return.line"].with_user(self.agent_company_2)
        self.assertFalse(other.search([("id", "=", line.id)]))
        with self.assertRaises(AccessError), self.cr.savepoint():
            line.with_user(self.agent_company_2).read(["quantity"])

    def test_manager_deletes_draft_lines(self):
        ticket = self._return_ticket([(self.toner_line, 1, None, {})])
        ticket.return_line_ids.with_user(self.manager).unlink()
        self.assertFalse(ticket.return_line_ids)
