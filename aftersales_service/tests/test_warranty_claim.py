from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .warranty_claim_common import WarrantyClaimCommon


@tagged("post_install", "-at_install")
class TestWarrantyClaim(WarrantyClaimCommon):
    def test_claim_proposed_from_a_completed_warranty_visit(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        visit = self._done_visit(ticket)
        claim = ticket.claim_ids
        self.assertEqual(len(claim), 1, "a claim is proposed when the visit is done")
        self.assertEqual(ticket.claim_count, 1)
        self.assertTrue(claim.name.startswith("WC"))
        self.assertEqual(claim.state, "draft")
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(claim.lot_id, self.serial_1)
        self.assertEqual(claim.warranty_policy_id, self.policy)
        self.assertEqual(claim.user_id, self.technician)
        self.assertEqual(claim.diagnosis, "Fuser thermistor burnt")
        self.assertEqual(claim.part_ids.product_id, self.fuser)
        self.assertEqual(claim.part_ids.quantity, 2)
        self.assertEqual(claim.part_ids.old_part_serial, f"OLD-{self.fuser.id}")
        self.assertEqual(claim.part_ids.unit_cost, 120.0, "cost of the issued move")
        self.assertAlmostEqual(claim.labour_hours, visit.labour_hours)
        self.assertEqual(claim.travel_distance, 20.0)
        self.assertEqual(claim.parts_cost, 240.0)
        self.assertEqual(claim.labour_cost, 60.0)
        self.assertEqual(claim.travel_cost, 30.0)
        self.assertEqual(claim.amount_total, 330.0)
        # A second visit does not claim the same parts twice.
        self._done_visit(ticket, parts=[(self.roller, 1)])
        self.assertEqual(len(ticket.claim_ids), 1, "the draft is still waiting")

    def test_claim_proposed_from_a_completed_warranty_repair(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        ticket.action_start()
        repair = self._done_repair(ticket, qty=1, hours=1.5)
        self.assertEqual(repair.state, "done")
        claim = ticket.claim_ids
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.part_ids.product_id, self.fuser)
        self.assertEqual(claim.part_ids.quantity, 1)
        self.assertEqual(claim.labour_hours, 1.5)
        self.assertEqual(claim.amount_total, 120.0 + 90.0)

    def test_no_proposal_for_paid_work_or_when_switched_off(self):
        paid = self._paid_ticket(user_id=self.technician.id)
        paid_order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "aftersales_ticket_id": paid.id}
        )
        paid_order.action_confirm()
        self._done_visit(paid)
        self.assertFalse(paid.claim_ids)
        self.company.aftersales_claim_auto_propose = False
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        self.assertFalse(ticket.claim_ids)

    def test_claim_by_hand_from_the_ticket_button(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self.company.aftersales_claim_auto_propose = False
        self._done_visit(ticket, parts=[(self.fuser, 1), (self.roller, 2)])
        form = self._claim_form(ticket)
        self.assertEqual(len(form.part_ids), 2, "the unclaimed warranty parts")
        form.failure_type = "component"
        form.other_cost = 15.0
        form.other_cost_note = "Courier"
        claim = form.save()
        self.assertEqual(claim.ticket_id, ticket)
        self.assertEqual(claim.amount_total, 120.0 + 80.0 + 60.0 + 30.0 + 15.0)
        self.assertEqual(claim.used_product_ids, self.fuser | self.roller)
        # Nothing left to claim: a second claim starts empty.
        self.assertFalse(ticket._aftersales_unclaimed_parts())

    def test_new_claim_before_its_ticket_is_chosen(self):
        """The Warranty Claims list's New button opens a claim without ticket."""
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket, parts=[(self.fuser, 1)])
        form = Form(self.env["aftersales.warranty.claim"].with_user(self.technician))
        self.assertFalse(form.used_product_ids)
        form.ticket_id = ticket
        self.assertEqual(form.used_product_ids[:], self.fuser)

    def test_submission_needs_photos_and_an_amount(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids.with_user(self.technician)
        self._add_photos(claim, 4)
        with self.assertRaises(UserError):
            claim.action_submit()
        self.assertEqual(claim.state, "draft")
        self._add_photos(claim, 1)
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.submitted_uid, self.technician)
        # The number of photos is a setting.
        self.company.aftersales_claim_min_photos = 0
        empty = self.env["aftersales.warranty.claim"].create({"ticket_id": ticket.id})
        with self.assertRaises(UserError, msg="a claim of nothing"):
            empty.action_submit()

    def test_part_not_used_on_the_job_is_refused(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids
        with self.assertRaises(ValidationError):
            claim.write(
                {"part_ids": [(0, 0, {"product_id": self.roller.id, "quantity": 1})]}
            )
        self.assertEqual(claim.part_ids.product_id, self.fuser, "nothing written")

    def test_quantity_above_what_was_used_is_refused(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids
        with self.assertRaises(ValidationError):
            claim.part_ids.quantity = 3
        self.assertEqual(claim.part_ids.quantity, 2, "nothing written")
        with self.assertRaises(ValidationError, msg="nor across two claims"):
            self.env["aftersales.warranty.claim"].create(
                {
                    "ticket_id": ticket.id,
                    "part_ids": [(0, 0, {"product_id": self.fuser.id, "quantity": 1})],
                }
            )
        self.assertEqual(len(ticket.claim_ids), 1, "no claim written")
        with self.assertRaises(ValidationError):
            claim.part_ids.quantity = -1

    def test_out_of_warranty_ticket_needs_an_approved_exception(self):
        ticket = self._new_ticket(lot_id=self.serial_1.id)
        ticket.with_user(self.manager)._override_warranty("expired", "Misuse report")
        self.assertEqual(ticket.warranty_state, "expired")
        with self.assertRaises(UserError):
            ticket.action_new_claim()
        claims = self.env["aftersales.warranty.claim"]
        with self.assertRaises(ValidationError):
            claims.create({"ticket_id": ticket.id})
        self.assertFalse(claims.search([("ticket_id", "=", ticket.id)]))
        # A manager grants the exception: free service approved out of warranty.
        ticket.service_category = "warranty"
        ticket.with_user(self.manager)._approve_service_category("Goodwill")
        self.assertTrue(ticket.claim_allowed)
        claim = claims.create({"ticket_id": ticket.id})
        self.assertEqual(claim.ticket_id, ticket)

    def test_rejection_for_customer_responsibility_makes_the_ticket_paid(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids, responsibility="company")
        self._decision(
            claim, self.manager, "reject", "Dropped by the operator", customer=True
        ).action_confirm()
        self.assertEqual(claim.state, "rejected")
        self.assertEqual(claim.responsibility, "customer")
        self.assertEqual(claim.decision_reason, "Dropped by the operator")
        self.assertEqual(ticket.responsibility, "customer")
        self.assertEqual(ticket.service_category, "paid")
        self.assertFalse(claim.move_id)
        with self.assertRaises(UserError):
            claim.amount_total = 1  # computed, but the claim is locked anyway
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_approve()

    def test_customer_liable_claim_cannot_be_approved(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids, responsibility="customer")
        with self.assertRaises(UserError):
            claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted")
        self.assertFalse(claim.move_id)

    def test_sent_back_for_more_evidence_and_resubmitted(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids)
        with self.assertRaises(UserError, msg="a reason is required"):
            claim.with_user(self.manager)._send_back(" ")
        self._decision(
            claim, self.manager, "send_back", "Photo of the nameplate is blurred"
        ).action_confirm()
        self.assertEqual(claim.state, "returned")
        self.assertTrue(claim.activity_ids)
        claim.with_user(self.technician).hour_meter = 1520
        claim.with_user(self.technician).action_submit()
        self.assertEqual(claim.state, "submitted")

    def test_flow_fields_only_move_through_the_buttons(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = ticket.claim_ids
        with self.assertRaises(UserError):
            claim.with_user(self.manager).write({"state": "approved"})
        self.assertEqual(claim.state, "draft")

    def _decision(self, claim, user, decision, reason, customer=False):
        action = claim.with_user(user).action_open_decision()
        form = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        form.decision = decision
        form.reason = reason
        if decision == "reject":
            form.customer_responsible = customer
        return form.save()
