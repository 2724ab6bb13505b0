from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .field_service_common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestWorkshopRepair(FieldServiceCommon):
    def _repair_from_ticket(self, ticket, user=None):
        action = ticket.with_user(user or self.technician).action_new_repair()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user or self.technician)
            .with_context(**action["context"])
        )
        return form.save()

    def _finish(self, repair):
        self._confirm_repair(repair)
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")

    def test_repair_from_ticket_takes_product_lot_customer_and_warranty(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        repair = self._repair_from_ticket(ticket)
        self.assertEqual(repair.aftersales_ticket_id, ticket)
        self.assertEqual(repair.product_id, self.serial_product)
        self.assertEqual(repair.lot_id, self.serial_1)
        self.assertEqual(repair.partner_id, self.customer)
        self.assertTrue(repair.under_warranty, "policy covers parts in full")
        paid = self._paid_ticket()
        self.assertFalse(self._repair_from_ticket(paid).under_warranty)

    def test_partial_parts_cover_is_not_odoos_zero_price_warranty(self):
        self.policy.parts_coverage = 60.0
        ticket = self._warranty_ticket()
        self.assertFalse(self._repair_from_ticket(ticket).under_warranty)

    def test_ticket_shows_states_and_resolves_when_all_repairs_are_done(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        ticket.action_start()
        first = self._repair_from_ticket(ticket)
        second = self._repair_from_ticket(ticket)
        self.assertEqual(ticket.repair_count, 2)
        self.assertIn(f"{first.name}: New", ticket.repair_summary)
        self._finish(first)
        self.assertEqual(ticket.stage_kind, "in_progress", "one repair is still open")
        self.assertIn(f"{first.name}: Repaired", ticket.repair_summary)
        second.action_repair_cancel()
        self._finish(self._repair_from_ticket(ticket))
        self.assertEqual(ticket.stage_kind, "resolved")

    def test_paid_repair_waits_for_the_accepted_quotation(self):
        ticket = self._paid_ticket(user_id=self.technician.id)
        repair = self._repair_from_ticket(ticket)
        self._confirm_repair(repair)
        with self.assertRaises(UserError):
            repair.action_repair_start()
        self.assertEqual(repair.state, "confirmed")
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "aftersales_ticket_id": ticket.id}
        )
        order.action_confirm()
        repair.action_repair_start()
        self.assertEqual(repair.state, "under_repair")

    def test_carry_in_receipt_check_and_hand_back(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        repair = self._repair_from_ticket(ticket)
        repair.item_condition = "Scratched cover, power cable included"
        action = repair.action_issue_pickup_receipt()
        self.assertEqual(
            action["report_name"], "aftersales_service.report_pickup_receipt"
        )
        self.assertTrue(repair.pickup_number.startswith("QJ"))
        self.assertEqual(repair.pickup_state, "issued")
        with self.assertRaises(UserError):
            repair.action_issue_pickup_receipt()
        other = self._repair_from_ticket(ticket)
        other.action_issue_pickup_receipt()
        self.assertNotEqual(other.pickup_number, repair.pickup_number)

        # Hand-back needs a passed supervisor check, by the leader or a manager.
        with self.assertRaises(UserError):
            repair._hand_back("Li Lei", repair.create_date)
        self._finish(repair)
        with self.assertRaises(UserError):
            self.env["aftersales.repair.check"].with_user(self.technician).create(
                {"repair_id": repair.id, "result": "pass"}
            ).action_confirm()
        self.assertFalse(repair.check_result)
        check = Form(
            self.env["aftersales.repair.check"]
            .with_user(self.manager)
            .with_context(default_repair_id=repair.id)
        )
        check.result = "fail"
        check.notes = "Still streaks on the page"
        check.save().action_confirm()
        self.assertEqual(repair.check_result, "fail")
        self.assertEqual(repair.check_uid, self.manager)
        with self.assertRaises(UserError):
            repair._hand_back("Li Lei", repair.create_date)
        repair.with_user(self.manager)._record_check("pass", "Prints cleanly")

        handback = Form(
            self.env["aftersales.repair.handback"]
            .with_user(self.technician)
            .with_context(default_repair_id=repair.id)
        )
        with self.assertRaises(AssertionError):
            handback.save()  # who collected it is required
        handback.collected_by = "Li Lei"
        handback.save().action_confirm()
        self.assertEqual(repair.pickup_state, "void")
        self.assertEqual(repair.handback_to, "Li Lei")
        self.assertEqual(repair.handback_uid, self.technician)
        self.assertTrue(repair.handback_date)
        with self.assertRaises(UserError):
            repair._hand_back("Someone Else", repair.create_date)
        self.assertIn(repair.pickup_number, ticket.message_ids[0].body)
