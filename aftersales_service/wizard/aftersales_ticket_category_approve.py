from odoo import fields, models


class AftersalesTicketCategoryApprove(models.TransientModel):
    """A manager approves free service outside warranty, or paid service inside it."""

    _name = "aftersales.ticket.category.approve"
    _description = "Approve Service Category"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    service_category = fields.Selection(
        related="ticket_id.service_category", string="Service Category"
    )
    warranty_reason = fields.Char(related="ticket_id.warranty_reason")
    reason = fields.Text(required=True)

    def action_approve(self):
        self.ensure_one()
        self.ticket_id._approve_service_category(self.reason)
        return {"type": "ir.actions.act_window_close"}
