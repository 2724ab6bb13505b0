from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import Form, tagged

from .field_service_common import SIGNATURE
from .return_common import ReturnCommon
from .warranty_claim_common import WarrantyClaimCommon


def _clear_emails(users):
    """Users whose partner has no e-mail address, as many field staff have."""
    users.partner_id.email = False
    for user in users:
        assert not user.email, "the user must have no e-mail"


class NoEmailMixin:
    def _notes(self, record):
        return " ".join(record.message_ids.mapped("body"))

    def _assert_note(self, record, text, author=None):
        """A note containing ``text`` is on ``record``, by ``author`` if given."""
        messages = record.message_ids.filtered(lambda m: text in (m.body or ""))
        self.assertTrue(messages, f"no note {text!r} on {record.display_name}")
        if author:
            self.assertEqual(messages[:1].author_id, author.partner_id)


@tagged("post_install", "-at_install")
class TestNoEmailFieldWork(NoEmailMixin, WarrantyClaimCommon):
    """Technicians, agents and managers without an e-mail address do their work:
    the notes the module writes about it never need the sender's address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _clear_emails(cls.technician | cls.agent | cls.manager | cls.manager_2)
        cls.complaint_type = cls.env.ref("aftersales_service.ticket_type_complaint")
        cls.company.write(
            {
                "aftersales_complaint_sales_manager_id": cls.agent.id,
                "aftersales_complaint_deputy_gm_id": cls.manager.id,
                "aftersales_complaint_gm_id": cls.manager_2.id,
            }
        )

    def test_visit_and_warranty_claim(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        form = Form(self.env["aftersales.visit"].with_user(self.technician))
        form.ticket_id = ticket
        form.planned_start = fields.Datetime.now()
        visit = form.save()
        self._assert_note(ticket, f"On-site visit {visit.name} planned.")

        visit.action_arrive()
        self.assertEqual(visit.state, "on_site")
        with Form(visit) as form:
            with form.part_ids.new() as part:
                part.product_id = self.fuser
                part.quantity = 2
                part.old_part_returned = True
            form.date_departure = visit.date_arrival + timedelta(hours=1)
            form.travel_distance = 20
            form.fault_cause = "Fuser thermistor burnt"
        visit.write({"signature": SIGNATURE, "signed_by": "Li Lei"})
        self.assertIs(visit.action_complete(), True)

        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.part_ids.move_id.state, "done", "the part is issued")
        self._assert_note(ticket, f"Visit {visit.name} completed", self.technician)
        claim = ticket.claim_ids
        self.assertEqual(claim.state, "draft", "a claim is proposed")
        self._assert_note(ticket, f"Warranty claim {claim.name} raised.")
        self._assert_note(claim, "Proposed when")

        claim = claim.with_user(self.technician)
        self._submitted(claim, responsibility="company")
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "approved")
        self._assert_note(ticket, f"Warranty claim {claim.name} approved", self.manager)

    def test_claim_rejection_and_two_step_approval(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        claim = self._submitted(ticket.claim_ids.with_user(self.technician))
        claim.write({"other_cost": 2000.0, "other_cost_note": "Courier"})
        claim.with_user(self.manager).action_approve()
        self.assertEqual(claim.state, "submitted", "a second manager must approve")
        self._assert_note(claim, "First approval by", self.manager)
        claim.with_user(self.manager_2).action_approve()
        self.assertEqual(claim.state, "approved")

        other = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(other)
        rejected = self._submitted(other.claim_ids.with_user(self.technician))
        rejected.with_user(self.manager)._reject("Not our part")
        self.assertEqual(rejected.state, "rejected")
        self._assert_note(other, "rejected: Not our part", self.manager)

    def test_workshop_repair(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        ticket.with_user(self.technician).action_start()
        action = ticket.with_user(self.technician).action_new_repair()
        repair = Form(
            self.env[action["res_model"]]
            .with_user(self.technician)
            .with_context(**action["context"])
        ).save()
        self._assert_note(ticket, f"Repair order {repair.name} created.")
        repair.item_condition = "Scratched cover"
        repair.action_issue_pickup_receipt()
        self.assertEqual(repair.pickup_state, "issued")
        self._confirm_repair(repair)
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(ticket.stage_kind, "resolved")

        check = Form(
            self.env["aftersales.repair.check"]
            .with_user(self.manager)
            .with_context(default_repair_id=repair.id)
        )
        check.result = "pass"
        check.save().action_confirm()
        self.assertEqual(repair.check_result, "pass")
        handback = Form(
            self.env["aftersales.repair.handback"]
            .with_user(self.technician)
            .with_context(default_repair_id=repair.id)
        )
        handback.collected_by = "Li Lei"
        handback.save().action_confirm()
        self.assertEqual(repair.pickup_state, "void")
        self._assert_note(
            ticket, f"{repair.name} handed back to Li Lei", self.technician
        )

    def test_complaint_and_closure_with_confirmation(self):
        form = Form(self.env["aftersales.ticket"].with_user(self.agent))
        form.subject = "Printer delivered scratched"
        form.partner_id = self.customer
        form.contact_id = self.customer_contact
        form.team_id = self.team
        form.type_id = self.complaint_type
        complaint = form.save()
        self.assertTrue(complaint.is_complaint)
        first = complaint.complaint_step_ids[:1]
        complaint.action_complaint_next_step()
        self.assertEqual(first.state, "done")

        complaint.compensation_amount = 100.0
        complaint.action_approve_compensation()
        self.assertTrue(complaint.compensation_approved)
        self._assert_note(complaint, "Compensation of 100.0 approved", self.agent)

        complaint.user_id = self.technician
        complaint.with_user(self.technician).action_start()
        complaint.with_user(self.technician).action_resolve()
        self.assertEqual(complaint.stage_kind, "resolved")
        action = complaint.action_open_close_wizard()
        wizard = Form(
            self.env["aftersales.ticket.close"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        wizard.method = "phone"
        wizard.partner_id = self.customer_contact
        wizard.date = datetime(2026, 11, 20, 10, 0)
        wizard.save().action_confirm()
        self.assertEqual(complaint.stage_kind, "closed")
        self.assertEqual(complaint.confirmed_by, "Li Lei")

        complaint.with_user(self.agent).action_reopen()
        self.assertNotEqual(complaint.stage_kind, "closed")
        self._assert_note(complaint, "Ticket reopened by", self.agent)

    def test_customer_mails_without_any_sender_address(self):
        """Even when neither the user nor the company has an address, the mails
        to the customer go out instead of blocking the work."""
        self.company.email = False
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "subject": "Paper jam",
                    "team_id": self.team.id,
                    "partner_id": self.customer.id,
                }
            )
        )
        received = ticket.message_ids.filtered(
            lambda m: "received your request" in (m.subject or "")
        )
        self.assertTrue(received, "the acknowledgement is posted")
        self.assertTrue(received[0].email_from)

        ticket.with_user(self.technician).write({"user_id": self.technician.id})
        ticket.with_user(self.technician).action_start()
        ticket.with_user(self.technician).action_resolve()
        ticket.with_user(self.agent)._close_with_confirmation(
            "phone", "Li Lei", fields.Datetime.now()
        )
        self.assertEqual(ticket.stage_kind, "closed")
        survey = ticket.survey_ids
        self.assertTrue(survey)
        survey.with_user(self.agent).action_send_by_mail()
        sent = ticket.message_ids.filtered(lambda m: survey.name in (m.subject or ""))
        self.assertIn(survey.partner_id, sent.partner_ids)


@tagged("post_install", "-at_install")
class TestNoEmailReturn(NoEmailMixin, ReturnCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user.groups_id |= cls.env.ref(
            "aftersales_service.group_aftersales_user"
        )
        _clear_emails(cls.agent | cls.manager | cls.warehouse_user)

    def test_return_approved_received_inspected_disposed(self):
        self.company.aftersales_return_approval_amount = 100.0
        ticket = self._return_ticket(
            [(self.toner_line, 2, None, {"outcome": "refund"})], user=self.agent
        )
        line = ticket.return_line_ids
        ticket.action_return_submit()
        self.assertEqual(line.state, "to_approve")
        self._assert_note(ticket, "Returns wait for a manager's approval.", self.agent)

        ticket.with_user(self.manager).action_return_approve()
        self.assertEqual(line.state, "approved")
        self._assert_note(ticket, "Returns approved by", self.manager)

        ticket.action_return_receive()
        self._receive(ticket.return_picking_ids)
        self.assertEqual(line.state, "received")

        line = line.with_user(self.agent)
        self._inspect(line, disposition="scrap")
        self.assertEqual(line.state, "inspected")
        self._assert_note(ticket, "inspected: Defect Confirmed", self.agent)
        line.action_apply_disposition()
        self.assertEqual(line.scrap_id.state, "done")

        ticket.with_user(self.agent).action_return_refund()
        self.assertTrue(ticket.sudo().return_refund_ids)
        self._assert_note(ticket, "Credit notes created", self.agent)
