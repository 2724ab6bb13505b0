from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketStages(AftersalesCommon):
    def _close_wizard(self, ticket):
        action = ticket.action_open_close_wizard()
        return Form.from_action(self.env, action)

    def test_new_ticket_starts_in_new_stage(self):
        ticket = self._new_ticket()
        self.assertEqual(ticket.stage_kind, "new")
        self.assertFalse(ticket.date_first_response)

    def test_assigning_moves_to_assigned_and_counts_as_response(self):
        with freeze_time("2026-11-05 10:00:00"):
            ticket = self._new_ticket()
        with freeze_time("2026-11-05 11:30:00"):
            ticket.user_id = self.technician
        self.assertEqual(ticket.stage_id, self.stages["assigned"])
        self.assertEqual(str(ticket.date_first_response), "2026-11-05 11:30:00")

    def test_allowed_moves(self):
        ticket = self._new_ticket(user_id=self.technician.id)
        for kind in (
            "in_progress",
            "waiting_customer",
            "in_progress",
            "waiting_parts",
            "resolved",
        ):
            ticket.stage_id = self.stages[kind]
            self.assertEqual(ticket.stage_kind, kind)
        # A customer who does not confirm sends the ticket back to work.
        ticket.stage_id = self.stages["in_progress"]
        self.assertFalse(ticket.date_resolved)
        ticket.stage_id = self.stages["cancelled"]
        self.assertTrue(ticket.is_done)

    def test_assigned_needs_a_responsible(self):
        ticket = self._new_ticket()
        with self.assertRaisesRegex(UserError, "has no responsible"):
            ticket.stage_id = self.stages["assigned"]
        self.assertEqual(ticket.stage_kind, "new")

    def test_cannot_close_unless_resolved(self):
        ticket = self._new_ticket(user_id=self.technician.id)
        ticket.action_start()
        with self.assertRaisesRegex(
            UserError, "can only be closed from a resolved stage"
        ):
            ticket.write(
                {
                    "stage_id": self.stages["closed"].id,
                    "confirmation_method": "phone",
                    "confirmed_by": "Li Lei",
                    "confirmation_date": "2026-11-05 12:00:00",
                }
            )
        self.assertEqual(ticket.stage_kind, "in_progress")
        self.assertFalse(ticket.confirmation_date)
        with self.assertRaisesRegex(UserError, "resolved stage"):
            ticket.action_open_close_wizard()

    def test_cannot_close_without_confirmation(self):
        ticket = self._resolve(self._new_ticket())
        with self.assertRaisesRegex(UserError, "customer's confirmation"):
            ticket.stage_id = self.stages["closed"]
        self.assertEqual(ticket.stage_kind, "resolved")
        # A date alone is not a confirmation: who and how are needed too.
        with self.assertRaisesRegex(UserError, "customer's confirmation"):
            ticket.write(
                {
                    "stage_id": self.stages["closed"].id,
                    "confirmation_date": "2026-11-05 12:00:00",
                }
            )

    def test_close_with_confirmation_wizard(self):
        ticket = self._resolve(self._new_ticket(partner_id=self.customer.id))
        with freeze_time("2026-11-06 09:00:00"):
            wizard = self._close_wizard(ticket)
            # Nothing the customer did not give: no method, person or time.
            self.assertFalse(wizard.method)
            self.assertFalse(wizard.partner_id)
            self.assertFalse(wizard.date)
            wizard.method = "phone"
            wizard.partner_id = self.customer_contact
            wizard.date = "2026-11-06 08:45:00"
            wizard.note = "Works again"
            wizard.save().action_confirm()
        self.assertRecordValues(
            ticket,
            [
                {
                    "stage_kind": "closed",
                    "confirmation_method": "phone",
                    "confirmed_by": "Li Lei",
                    "confirmation_note": "Works again",
                }
            ],
        )
        self.assertEqual(str(ticket.date_closed), "2026-11-06 09:00:00")

    def test_signature_confirmation_needs_signature(self):
        ticket = self._resolve(self._new_ticket(partner_id=self.customer.id))
        with self.assertRaisesRegex(UserError, "signature"):
            ticket._close_with_confirmation(
                "signature", "Li Lei", "2026-11-06 09:00:00"
            )
        self.assertEqual(ticket.stage_kind, "resolved")

    def test_closed_ticket_cannot_be_cancelled_but_can_be_reopened(self):
        ticket = self._resolve(self._new_ticket(partner_id=self.customer.id))
        ticket._close_with_confirmation("phone", "Li Lei", "2026-11-06 09:00:00")
        self._flush_tracking()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            ticket.stage_id = self.stages["cancelled"]
        ticket.action_reopen()
        self.assertEqual(ticket.stage_kind, "in_progress")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertFalse(ticket.date_closed)
        self.assertFalse(ticket.confirmation_date)
        self.assertTrue(
            any("reopened" in str(body) for body in ticket.message_ids.mapped("body"))
        )
        self._flush_tracking()
        tracked = ticket.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "reopen_count"
        )
        self.assertTrue(tracked, "reopening is tracked")
        # Closing again needs a new confirmation.
        ticket.action_resolve()
        with self.assertRaisesRegex(UserError, "customer's confirmation"):
            ticket.stage_id = self.stages["closed"]

    def test_cancelled_ticket_can_be_reopened(self):
        ticket = self._new_ticket()
        ticket.action_cancel()
        self.assertEqual(ticket.stage_kind, "cancelled")
        ticket.action_reopen()
        self.assertEqual(ticket.stage_kind, "in_progress")
        self.assertEqual(ticket.reopen_count, 1)

    def test_cannot_create_closed_ticket(self):
        with self.assertRaisesRegex(UserError, "cannot be created closed"):
            self._new_ticket(stage_id=self.stages["closed"].id)

    def test_team_stage_rules(self):
        team_stage = self.env["aftersales.stage"].create(
            {
                "name": "Bench Test",
                "kind": "in_progress",
                "team_ids": [(4, self.team.id)],
            }
        )
        ticket = self._new_ticket(team_id=self.other_team.id)
        with self.assertRaisesRegex(UserError, "not used by team"):
            ticket.stage_id = team_stage
        own = self._new_ticket()
        own.stage_id = team_stage
        self.assertEqual(own.stage_id, team_stage)
        # Kanban shows every shared stage plus the team's own, even empty ones.
        groups = (
            self.env["aftersales.ticket"]
            .with_context(default_team_id=self.team.id)
            .read_group([("id", "=", 0)], ["stage_id"], ["stage_id"])
        )
        shown = {group["stage_id"][0] for group in groups}
        self.assertIn(team_stage.id, shown)
        self.assertTrue(set(s.id for s in self.stages.values()) <= shown)
        # Moving a ticket to another team keeps its meaning on a stage that team uses.
        own.team_id = self.other_team
        self.assertEqual(own.stage_id, self.stages["in_progress"])
