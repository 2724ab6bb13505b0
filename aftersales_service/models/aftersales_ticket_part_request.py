from odoo import api, fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    part_request_ids = fields.One2many(
        "aftersales.part.request", "ticket_id", string="Spare-Part Requests"
    )
    part_request_count = fields.Integer(compute="_compute_part_request_count")

    @api.depends("part_request_ids")
    def _compute_part_request_count(self):
        counts = self._count_by_ticket("aftersales.part.request")
        for ticket in self:
            ticket.part_request_count = counts.get(ticket._origin, 0)

    def action_view_part_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_part_request_action"
        )
        action.update(
            domain=[("ticket_id", "=", self.id)],
            context={"default_ticket_id": self.id},
        )
        return action
