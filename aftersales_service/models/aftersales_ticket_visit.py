from odoo import _, api, fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    visit_ids = fields.One2many("aftersales.visit", "ticket_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        counts = self._count_by_ticket("aftersales.visit")
        for ticket in self:
            ticket.visit_count = counts.get(ticket._origin, 0)

    def _on_visit_arrival(self, visit):
        """The first arrival stamps the SLA's on-site time and starts the work."""
        self.ensure_one()
        if not self.date_onsite or visit.date_arrival < self.date_onsite:
            self.date_onsite = visit.date_arrival
        if self.stage_kind in ("new", "assigned"):
            if not self.user_id:
                self.user_id = visit.user_id
            self.action_start()

    def _on_visit_done(self, visit):
        self.ensure_one()
        self._message_log(
            body=_(
                "Visit %(visit)s completed: %(hours)s labour hours, %(km)s km.",
                visit=visit.name,
                hours=visit.labour_hours,
                km=visit.travel_distance,
            ),
        )

    def action_new_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("On-Site Visit"),
            "res_model": "aftersales.visit",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_ticket_id": self.id,
                "default_user_id": (self.user_id or self.env.user).id,
            },
        }

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_visit_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_user_id": (self.user_id or self.env.user).id,
        }
        return action
