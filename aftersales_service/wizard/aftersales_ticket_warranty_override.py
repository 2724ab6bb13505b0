from odoo import fields, models

from ..models.aftersales_ticket_warranty import WARRANTY_STATES


class AftersalesTicketWarrantyOverride(models.TransientModel):
    """A manager sets the warranty verdict by hand, with a reason."""

    _name = "aftersales.ticket.warranty.override"
    _description = "Override Warranty Verdict"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    computed_reason = fields.Char(
        related="ticket_id.warranty_reason", string="Current Verdict"
    )
    warranty_state = fields.Selection(
        WARRANTY_STATES,
        string="New Verdict",
        help="Leave empty to go back to the computed verdict.",
    )
    reason = fields.Text()

    def action_apply(self):
        self.ensure_one()
        self.ticket_id._override_warranty(self.warranty_state, self.reason)
        return {"type": "ir.actions.act_window_close"}
