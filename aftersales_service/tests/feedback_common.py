from odoo import fields
from odoo.tests import Form

from .common import AftersalesCommon


class FeedbackCommon(AftersalesCommon):
    """Closed tickets, closed through the wizard as an agent would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels = {
            key: cls.env.ref(f"aftersales_service.survey_level_{key}")
            for key in ("very_satisfied", "satisfied", "average", "dissatisfied")
        }

    def _close(self, ticket, user=None):
        """Resolve then close ``ticket`` with the customer's phone confirmation."""
        if ticket.stage_kind not in ("resolved", "closed"):
            self._resolve(ticket)
        action = ticket.with_user(user or self.agent).action_open_close_wizard()
        wizard = Form(
            self.env["aftersales.ticket.close"]
            .with_user(user or self.agent)
            .with_context(**action["context"])
        )
        wizard.method = "phone"
        wizard.partner_id = self._confirming_person(ticket)
        wizard.date = fields.Datetime.now()
        wizard.save().action_confirm()
        return ticket

    def _confirming_person(self, ticket):
        """The customer's person who confirms: the reporting contact, the
        customer when it is a person, else a contact of the company."""
        customer = ticket.partner_id.commercial_partner_id
        if ticket.contact_id:
            return ticket.contact_id
        if not customer:
            return self.customer_contact
        if not customer.is_company:
            return customer
        return customer.child_ids.filtered(lambda p: not p.is_company)[:1] or (
            self.env["res.partner"].create(
                {"name": f"Contact of {customer.name}", "parent_id": customer.id}
            )
        )

    def _closed_ticket(self, **values):
        values.setdefault("partner_id", self.customer.id)
        return self._close(self._new_ticket(**values))

    def _answer(self, key="satisfied", rating="5"):
        level = self.levels[key].id
        return {
            "rating_value": rating,
            "attitude_level_id": level,
            "skill_level_id": level,
            "timeliness_level_id": level,
            "promise_level_id": level,
            "comment": "Quick and friendly",
        }
