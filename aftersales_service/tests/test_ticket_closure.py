from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import Form, tagged

from .field_service_common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestTicketClosure(FieldServiceCommon):
    """The customer's confirmation is real, and nothing resolves or closes while
    work is open."""

    def _ticket(self, **values):
        values.setdefault("partner_id", self.customer.id)
        values.setdefault("user_id", self.technician.id)
        return self._warranty_ticket(**values)

    def _resolved(self, **values):
        ticket = self._ticket(**values)
        ticket.action_resolve()
        self.assertEqual(ticket.stage_kind, "resolved")
        return ticket

    def _close_form(self, ticket, user=None):
        env = self.env(user=user) if user else self.env
        return Form(
            env["aftersales.ticket.close"].with_context(default_ticket_id=ticket.id)
        )

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def test_nothing_is_prefilled_that_the_customer_did_not_give(self):
        ticket = self._resolved()
        form = self._close_form(ticket, self.agent)
        self.assertFalse(form.method)
        self.assertFalse(form.partner_id)
        self.assertFalse(form.date)
        self.assertFalse(form.visit_id)
        with self.assertRaises(AssertionError):  # required fields left empty
            form.save()
        self.assertEqual(ticket.stage_kind, "resolved")

    def test_agent_names_a_contact_of_the_customer(self):
        ticket = self._resolved()
        form = self._close_form(ticket, self.agent)
        form.method = "phone"
        form.partner_id = self.customer_contact
        form.date = "2026-11-20 08:00:00"
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual(ticket.stage_kind, "closed")
        self.assertEqual(ticket.confirmed_by, "Li Lei")
        self.assertEqual(ticket.confirmation_partner_id, self.customer_contact)
        self.assertEqual(ticket.confirmation_method, "phone")

    def test_invented_confirmations_are_refused(self):
        ticket = self._resolved().with_user(self.agent)
        stranger = self.env["res.partner"].create(
            {"name": "Wang Wu", "parent_id": self.other_customer.id}
        )
        cases = [
            ({"partner": self.customer}, "not the company itself"),
            ({"partner": stranger}, "is not a contact of Acme Trading"),
            (
                {"partner": self.customer_contact, "date": "2099-01-01 00:00:00"},
                "cannot be in the future",
            ),
            ({"partner": self.customer_contact, "method": False}, "Choose how"),
            ({"partner": self.customer_contact, "date": False}, "Say when"),
            (
                {"partner": self.customer_contact, "method": "signature"},
                "needs the customer's signature",
            ),
        ]
        for values, message in cases:
            args = {
                "method": "phone",
                "confirmed_by": False,
                "date": "2026-11-20 08:00:00",
                **values,
            }
            with self.subTest(message=message), self.assertRaises(UserError) as caught:
                ticket._close_with_confirmation(**args)
            self.assertIn(message, str(caught.exception))
        self.assertEqual(ticket.stage_kind, "resolved")
        self.assertFalse(ticket.confirmation_method)

    def test_signed_service_report_fills_the_confirmation(self):
        ticket = self._ticket()
        visit = self._visit(ticket)
        with freeze_time("2026-11-20 08:00:00"):
            visit.action_arrive()
        self._sign(visit, name="Han Meimei")
        with freeze_time("2026-11-20 10:00:00"):
            visit.action_complete()
        ticket.action_resolve()
        form = self._close_form(ticket, self.agent)
        self.assertEqual(form.visit_id, visit)
        self.assertEqual(form.method, "signature")
        self.assertEqual(form.confirmed_by, "Han Meimei")
        self.assertEqual(
            fields.Datetime.to_datetime(form.date),
            visit.signed_on or visit.date_departure,
        )
        form.save().action_confirm()
        self.assertEqual(ticket.stage_kind, "closed")
        self.assertEqual(ticket.confirmed_by, "Han Meimei")
        self.assertEqual(ticket.confirmation_signature, visit.signature)
        self.assertEqual(ticket.confirmation_method, "signature")

    # ------------------------------------------------------------------
    # Open work
    # ------------------------------------------------------------------

    def test_resolve_needs_a_responsible(self):
        ticket = self._ticket(user_id=False)
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent).action_resolve()
        self.assertIn("has no responsible", str(caught.exception))
        self.assertNotEqual(ticket.stage_kind, "resolved")
        # Moving the card to the stage is refused the same way.
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).stage_id = self.stages["resolved"]

    def _ticket_with_open_work(self):
        ticket = self._ticket()
        self._visit(ticket)
        repair = self.env["repair.order"].create(
            {
                "aftersales_ticket_id": ticket.id,
                "product_id": self.serial_product.id,
                "lot_id": self.serial_1.id,
                "partner_id": self.customer.id,
            }
        )
        claim = self.env["aftersales.warranty.claim"].create({"ticket_id": ticket.id})
        quote = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "aftersales_ticket_id": ticket.id,
                "order_line": [Command.create({"product_id": self.fee.id})],
            }
        )
        return ticket, repair, claim, quote

    def test_resolve_and_close_refuse_while_work_is_open(self):
        ticket, repair, claim, quote = self._ticket_with_open_work()
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent).action_resolve()
        message = str(caught.exception)
        self.assertIn("cannot be resolved while work is still open", message)
        self.assertIn("Visit SV", message)
        self.assertIn(f"Repair {repair.name}", message)
        self.assertIn(f"Warranty claim {claim.name}", message)
        self.assertIn(f"Quotation {quote.name}", message)
        self.assertNotIsInstance(caught.exception, RedirectWarning)
        self.assertNotEqual(ticket.stage_kind, "resolved")
        # A client sending a context key opens nothing.
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).with_context(
                aftersales_open_work_override=True
            ).action_resolve()
        # Once the work is finished or cancelled, it resolves.
        ticket.visit_ids.action_cancel()
        repair.action_repair_cancel()
        claim.unlink()
        quote.action_cancel()
        ticket.with_user(self.agent).action_resolve()
        self.assertEqual(ticket.stage_kind, "resolved")
        # New work after resolution blocks the closure.
        self._visit(ticket)
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent)._close_with_confirmation(
                "phone", False, "2026-11-20 08:00:00", partner=self.customer_contact
            )
        self.assertIn(
            "cannot be closed while work is still open", str(caught.exception)
        )
        self.assertEqual(ticket.stage_kind, "resolved")

    def test_manager_goes_on_with_a_logged_reason(self):
        ticket, *_work = self._ticket_with_open_work()
        with self.assertRaises(RedirectWarning) as caught:
            ticket.with_user(self.manager).action_resolve()
        action_id, button, context = caught.exception.args[1:4]
        self.assertEqual(
            action_id,
            self.env.ref("aftersales_service.aftersales_ticket_override_action").id,
        )
        self.assertEqual(context, {"default_ticket_id": ticket.id})
        # Others may not use the override.
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent)._resolve_with_override("I said so")
        wizard = (
            self.env["aftersales.ticket.override"]
            .with_user(self.manager)
            .create({"ticket_id": ticket.id, "reason": "Customer moved away"})
        )
        self.assertIn("Visit SV", wizard.open_work)
        wizard.action_confirm()
        self.assertEqual(ticket.stage_kind, "resolved")
        log = ticket.message_ids.filtered(
            lambda m: "Customer moved away" in str(m.body)
        )
        self.assertEqual(len(log), 1)
        self.assertIn("went on with work still open", str(log.body))
        # Closing with work open: the reason is given in the close wizard.
        form = self._close_form(ticket, self.manager)
        self.assertTrue(form.open_work)
        form.method = "phone"
        form.partner_id = self.customer_contact
        form.date = "2026-11-20 08:00:00"
        form.override_reason = "Closed on the GM's instruction"
        form.save().action_confirm()
        self.assertEqual(ticket.stage_kind, "closed")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Closed on the GM's instruction" in str(m.body)
            )
        )

    def test_unfinished_return_blocks_resolution(self):
        ticket = self._ticket()
        self.env["aftersales.return.line"].create(
            {
                "ticket_id": ticket.id,
                "sale_line_id": self.serial_line.id,
                "lot_id": self.serial_1.id,
                "quantity": 1,
                "reason_id": self.env["aftersales.return.reason"]
                .search([], limit=1)
                .id,
            }
        )
        with self.assertRaises(UserError) as caught:
            ticket.with_user(self.agent).action_resolve()
        self.assertIn("Return of", str(caught.exception))
