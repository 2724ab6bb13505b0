from odoo import _, api, fields, models


class AftersalesTicket(models.Model):
    """Follow-up calls (回访) after closure, and tickets raised during a call."""

    _inherit = "aftersales.ticket"

    followup_ids = fields.One2many(
        "aftersales.followup", "ticket_id", string="Follow-up Calls"
    )
    followup_count = fields.Integer(compute="_compute_followup_count")
    followup_source_id = fields.Many2one(
        "aftersales.followup",
        string="Raised During Call",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    @api.depends("followup_ids")
    def _compute_followup_count(self):
        for ticket in self:
            ticket.followup_count = len(ticket.followup_ids)

    def _on_feedback_closed(self):
        res = super()._on_feedback_closed()
        todo = self.filtered(
            lambda t: not t.followup_ids.filtered(
                lambda f: f.kind in ("first", "second")
            )
        )
        self.env["aftersales.followup"]._schedule_after_closure(todo)
        return res

    def action_view_followups(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Follow-up Calls"),
            "res_model": "aftersales.followup",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"create": False},
        }
