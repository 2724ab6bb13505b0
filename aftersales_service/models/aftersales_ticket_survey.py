from odoo import api, fields, models


class AftersalesTicket(models.Model):
    """Every closed ticket gets a satisfaction survey; the overall answer is
    an Odoo rating of the ticket."""

    _name = "aftersales.ticket"
    _inherit = ["rating.mixin", "aftersales.ticket"]

    survey_ids = fields.One2many("aftersales.survey", "ticket_id", string="Surveys")
    survey_state = fields.Selection(
        [
            ("none", "No Survey"),
            ("pending", "Waiting for Answer"),
            ("answered", "Answered"),
        ],
        string="Survey",
        compute="_compute_survey_state",
    )

    @api.depends("survey_ids.state")
    def _compute_survey_state(self):
        for ticket in self:
            ticket.survey_state = ticket.survey_ids[:1].state or "none"

    def _rating_get_partner(self):
        # The person who reported the problem answers the survey.
        return self.contact_id or super()._rating_get_partner()

    def _feedback_technicians(self):
        """The technicians a survey answer, complaint or follow-up is attributed to:
        the responsible and the technicians of completed visits."""
        self.ensure_one()
        visits = self.visit_ids.filtered(lambda v: v.state == "done")
        return self.user_id | visits.technician_ids

    def _stamp_stage_dates(self):
        newly_closed = self.filtered(
            lambda t: t.stage_kind == "closed" and not t.date_closed
        )
        res = super()._stamp_stage_dates()
        if newly_closed:
            newly_closed._on_feedback_closed()
        return res

    def _on_feedback_closed(self):
        """Hook run once when tickets are closed: surveys, follow-up calls..."""
        self.env["aftersales.survey"]._create_for_tickets(self)
        return True

    def action_view_survey(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.survey",
            "view_mode": "form",
            "res_id": self.survey_ids[:1].id,
        }
