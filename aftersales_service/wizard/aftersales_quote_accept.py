from odoo import fields, models

from ..models.sale_order_service_quote import ACCEPTANCE_CHANNELS


class AftersalesQuoteAccept(models.TransientModel):
    _name = "aftersales.quote.accept"
    _description = "Record a Customer's Acceptance of a Service Quotation"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    accepted_by = fields.Char(required=True)
    channel = fields.Selection(ACCEPTANCE_CHANNELS, required=True, default="phone")

    def action_confirm(self):
        self.order_id._aftersales_record_acceptance(self.accepted_by, self.channel)
        return {"type": "ir.actions.act_window_close"}
