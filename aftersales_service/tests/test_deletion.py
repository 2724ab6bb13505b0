from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .warranty_claim_common import WarrantyClaimCommon


@tagged("post_install", "-at_install")
class TestDeletion(WarrantyClaimCommon):
    """Records with stock, money or customer history are archived or cancelled,
    never deleted; the refusal names the record. Records without history still
    go, as the manager (who alone may delete) asks."""

    def _assert_kept(self, records, user, *words):
        with self.assertRaises(UserError) as caught, self.cr.savepoint():
            records.with_user(user).unlink()
        message = str(caught.exception)
        for word in words:
            self.assertIn(word, message)
        self.assertNotIn("constraint", message.lower())
        self.assertEqual(records.exists(), records)
        return message

    def _approved_request(self, ticket):
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.technician)
            .create(
                {
                    "ticket_id": ticket.id,
                    "line_ids": [Command.create({"product_id": self.fuser.id})],
                }
            )
        )
        request.action_submit()
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.picking_id.state, "assigned")
        return request

    # ------------------------------------------------------------------
    # Tickets
    # ------------------------------------------------------------------

    def test_ticket_with_approved_part_request(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        request = self._approved_request(ticket)
        message = self._assert_kept(
            ticket, self.manager, ticket.name, "spare-part requests", "Archive it"
        )
        self.assertIn("stock transfers", message)
        self.assertTrue(request.exists())
        self.assertEqual(request.picking_id.state, "assigned")
        # Archiving is the way.
        ticket.with_user(self.manager).action_archive()
        self.assertFalse(ticket.active)
        # A ticket without history still goes, with its plans.
        fresh = self._warranty_ticket(user_id=self.technician.id)
        visit = self._visit(fresh)
        draft = (
            self.env["aftersales.part.request"]
            .with_user(self.technician)
            .create({"ticket_id": fresh.id})
        )
        fresh.with_user(self.manager).unlink()
        self.assertFalse(fresh.exists() or visit.exists() or draft.exists())

    def test_ticket_with_completed_visit(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        visit = self._done_visit(ticket)
        self._assert_kept(ticket, self.manager, ticket.name, "completed visits")
        self.assertTrue(visit.exists())

    def test_ticket_with_claim(self):
        """The claim's ticket link restricts deletion in the database: the user
        gets the reason, not the constraint."""
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        self.assertTrue(ticket.claim_ids, "proposed on completion")
        self._assert_kept(ticket, self.manager, ticket.name, "warranty claims")

    def test_ticket_with_quotation_or_answered_survey(self):
        quoted = self._paid_ticket()
        self.env["sale.order"].create(
            {"partner_id": self.customer.id, "aftersales_ticket_id": quoted.id}
        )
        self._assert_kept(quoted, self.manager, quoted.name, "quotations")
        surveyed = self._new_ticket()
        survey = self.env["aftersales.survey"].create({"ticket_id": surveyed.id})
        survey.write({"state": "answered", "rating_value": "5"})
        self._assert_kept(surveyed, self.manager, surveyed.name, "answered surveys")

    # ------------------------------------------------------------------
    # Teams
    # ------------------------------------------------------------------

    def test_team_with_tickets(self):
        ticket = self._new_ticket(team_id=self.other_team.id)
        self._assert_kept(self.other_team, self.manager, self.other_team.name)
        self.assertEqual(ticket.team_id, self.other_team)
        # Closed and archived tickets keep their team too.
        ticket.action_archive()
        self._assert_kept(self.other_team, self.manager, "archive the team")
        self.other_team.with_user(self.manager).action_archive()
        self.assertFalse(self.other_team.active)
        empty = self.env["aftersales.team"].create({"name": "Night Shift"})
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty.exists())

    # ------------------------------------------------------------------
    # Records with stock, money or customer history
    # ------------------------------------------------------------------

    def test_completed_visit(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        done = self._done_visit(ticket)
        self._assert_kept(done, self.manager, done.name)
        planned = self._visit(ticket)
        planned.with_user(self.manager).unlink()
        self.assertFalse(planned.exists())

    def test_submitted_part_request(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        request = self._approved_request(ticket)
        self._assert_kept(request, self.manager, request.name, "Cancel it")
        draft = (
            self.env["aftersales.part.request"]
            .with_user(self.technician)
            .create({"ticket_id": ticket.id})
        )
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())

    def test_claim_and_return_name_the_record(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids)
        self._assert_kept(claim, self.manager, claim.name, "Submitted")
        returned = self._new_ticket(partner_id=self.customer_contact.id)
        reason = self.env["aftersales.return.reason"].create({"name": "Leaking"})
        line = self.env["aftersales.return.line"].create(
            {
                "ticket_id": returned.id,
                "sale_line_id": self.order.order_line.filtered(
                    lambda line: line.product_id == self.plain_product
                ).id,
                "quantity": 1,
                "reason_id": reason.id,
            }
        )
        line.write({"state": "approved"})
        self._assert_kept(
            line, self.manager, returned.name, self.plain_product.display_name
        )

    def test_feedback_history(self):
        ticket = self._new_ticket(user_id=self.technician.id)
        survey = self.env["aftersales.survey"].create({"ticket_id": ticket.id})
        survey.write({"state": "answered", "rating_value": "3"})
        self._assert_kept(survey, self.manager, ticket.name, "answered")
        followup = self.env["aftersales.followup"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": self.customer.id,
                "date_planned": fields.Date.today(),
            }
        )
        followup.write({"state": "done"})
        self._assert_kept(followup, self.manager, followup.display_name)
        reason = self.env["aftersales.reward.penalty.reason"].create(
            {"name": "Late arrival", "entry_type": "penalty", "amount": 50.0}
        )
        entry = self.env["aftersales.reward.penalty"].create(
            {"reason_id": reason.id, "ticket_id": ticket.id}
        )
        entry.with_user(self.manager).action_confirm()
        self._assert_kept(entry, self.manager, "Late arrival", "cancel it")
        scorecard = self.env["aftersales.technician.evaluation"].create(
            {
                "user_id": self.technician.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
            }
        )
        scorecard.write({"state": "approved"})
        self._assert_kept(scorecard, self.manager, scorecard.name)
        # Drafts go.
        draft_entry = entry.copy({"state": "draft"})
        draft_card = scorecard.copy(
            {"state": "draft", "date_from": "2026-02-01", "date_to": "2026-02-28"}
        )
        draft_entry.with_user(self.manager).unlink()
        draft_card.with_user(self.manager).unlink()
        self.assertFalse(draft_entry.exists() or draft_card.exists())

    def test_supplier_recovery(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids)
        claim.with_user(self.manager).action_approve()
        recovery = self.env["aftersales.supplier.recovery"]._create_from_claims(claim)
        # Nobody has the right to delete a recovery; not even the superuser
        # takes its claims away.
        self._assert_kept(recovery, self.env.user, recovery.name)
        self.assertEqual(claim.recovery_id, recovery)
