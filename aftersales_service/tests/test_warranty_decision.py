from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyDecision(WarrantyCommon):
    def test_category_follows_verdict_and_responsibility(self):
        ticket = self._ticket_on("2026-06-01 02:00:00")
        self.assertEqual(ticket.service_category, "warranty")
        ticket.responsibility = "customer"
        self.assertEqual(ticket.service_category, "paid")
        self.assertFalse(ticket.category_needs_approval)
        expired = self._ticket_on("2027-06-01 02:00:00")
        self.assertEqual(expired.service_category, "paid")

    def test_free_service_outside_warranty_needs_manager_approval(self):
        ticket = self._ticket_on("2027-06-01 02:00:00", user_id=self.technician.id)
        ticket.service_category = "warranty"
        self.assertTrue(ticket.category_needs_approval)
        ticket.action_start()
        with self.assertRaisesRegex(UserError, "a manager must approve it first"):
            ticket.action_resolve()
        # Neither an agent nor a technician may approve, by wizard or by writing.
        for user in (self.agent, self.technician):
            with self.assertRaises(AccessError):
                ticket.with_user(user)._approve_service_category("Goodwill")
            with self.assertRaises(AccessError):
                ticket.with_user(user).write({"category_approved_uid": user.id})
        action = ticket.with_user(self.manager).action_open_category_approval()
        with Form.from_action(self.env(user=self.manager), action) as wizard:
            wizard.reason = "Key account goodwill"
        wizard.record.action_approve()
        self.assertRecordValues(
            ticket,
            [
                {
                    "category_approved": True,
                    "category_approved_uid": self.manager.id,
                    "category_approval_reason": "Key account goodwill",
                }
            ],
        )
        self.assertTrue(ticket.category_approved_date)
        ticket.action_resolve()
        self.assertEqual(ticket.stage_kind, "resolved")

    def test_paid_service_inside_warranty_needs_approval(self):
        ticket = self._ticket_on("2026-06-01 02:00:00")
        ticket.service_category = "paid"
        self.assertTrue(ticket.category_needs_approval)
        with self.assertRaises(UserError):
            ticket.with_user(self.manager)._approve_service_category("")
        ticket.with_user(self.manager)._approve_service_category(
            "Wear part, not a defect"
        )
        self.assertTrue(ticket.category_approved)
        # Changing the category again needs a new approval.
        ticket.service_category = "warranty"
        self.assertFalse(ticket.category_needs_approval)
        ticket.service_category = "paid"
        self.assertTrue(ticket.category_approved, "the same category stays approved")

    def test_only_managers_override_the_verdict(self):
        ticket = self._ticket_on("2027-06-01 02:00:00")
        self.assertEqual(ticket.warranty_state, "expired")
        for user in (self.agent, self.technician):
            with self.assertRaises(AccessError):
                ticket.with_user(user)._override_warranty("in_warranty", "Please")
            with self.assertRaises(AccessError):
                ticket.with_user(user).write({"warranty_override": "in_warranty"})
        with self.assertRaises(UserError):
            ticket.with_user(self.manager)._override_warranty("in_warranty", "")
        self._flush_tracking()
        action = ticket.with_user(self.manager).action_open_warranty_override()
        with Form.from_action(self.env(user=self.manager), action) as wizard:
            wizard.warranty_state = "in_warranty"
            wizard.reason = "Unit was stored by the dealer for three months"
        wizard.record.action_apply()
        self.assertEqual(ticket.warranty_state, "in_warranty")
        self.assertEqual(ticket.service_category, "warranty")
        self.assertIn("Unit was stored by the dealer", ticket.warranty_reason)
        self.assertIn(self.manager.name, ticket.warranty_reason)
        self._flush_tracking()
        tracked = ticket.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "warranty_override"
        )
        self.assertTrue(tracked)
        ticket.with_user(self.manager)._override_warranty(False, False)
        self.assertEqual(ticket.warranty_state, "expired")
