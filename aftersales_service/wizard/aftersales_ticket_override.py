from odoo import api, fields, models


class AftersalesTicketOverride(models.TransientModel):
    """A manager resolves a ticket whose work is not finished, saying why."""

    _name = "aftersales.ticket.override"
    _description = "Resolve a Service Ticket with Work Still Open"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    open_work = fields.Text(compute="_compute_open_work")
    reason = fields.Text(required=True)

    @api.depends("ticket_id")
    def _compute_open_work(self):
        for wizard in self:
            lines = wizard.ticket_id._open_work() if wizard.ticket_id else []
            wizard.open_work = "\n".join(f"• {line}" for line in lines)

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._resolve_with_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
