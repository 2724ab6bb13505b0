from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .warranty_claim_common import WarrantyClaimCommon


@tagged("post_install", "-at_install")
class TestWarrantyClaimSecurity(WarrantyClaimCommon):
    def test_technician_creates_and_submits_claims_of_their_tickets_only(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self.company.aftersales_claim_auto_propose = False
        self._done_visit(ticket)
        form = self._claim_form(ticket, self.technician)
        form.failure_type = "material"
        claim = form.save().with_user(self.technician)
        self._add_photos(claim)
        claim.write({"responsibility": "supplier"})
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        # A technician of another team sees neither the ticket's claims nor makes one.
        Claim = self.env["aftersales.warranty.claim"].with_user(self.other_technician)
        self.assertFalse(Claim.search([("id", "=", claim.id)]))
        with self.assertRaises(AccessError):
            Claim.create({"ticket_id": ticket.id})
        draft = (
            self.env["aftersales.warranty.claim"]
            .with_user(self.technician)
            .create({"ticket_id": ticket.id})
        )
        with self.assertRaises(AccessError, msg="only managers delete"):
            draft.unlink()

    def test_only_managers_decide(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids)
        for user in (self.technician, self.agent, self.accountant):
            with self.assertRaises(AccessError):
                claim.with_user(user).action_approve()
            with self.assertRaises(AccessError):
                claim.with_user(user)._reject("No")
        self.assertEqual(claim.state, "submitted")
        self.assertFalse(claim.move_id)
        claim.with_user(self.manager).action_approve()
        self.assertEqual(
            claim.move_id.state, "posted", "booked without accounting rights"
        )

    def test_accountant_reads_but_does_not_edit_claims(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids.with_user(self.accountant)
        self.assertEqual(claim.amount_total, 330.0)
        self.assertEqual(claim.part_ids.product_id, self.fuser)
        with self.assertRaises(AccessError):
            claim.other_cost = 10.0

    def test_other_company_claims_are_hidden(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        Claim = self.env["aftersales.warranty.claim"].with_user(self.agent_company_2)
        self.assertFalse(Claim.search([("ticket_id", "=", ticket.id)]))

    def test_approved_claim_is_locked(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids, "company")
        claim.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            claim.with_user(self.manager).other_cost = 99.0
        with self.assertRaises(UserError):
            claim.part_ids.with_user(self.manager).quantity = 1
        self.assertEqual(claim.amount_total, 330.0)
        with self.assertRaises(UserError):
            claim.with_user(self.manager).unlink()
