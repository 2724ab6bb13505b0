from odoo import fields, models


class AftersalesPartRequestReject(models.TransientModel):
    _name = "aftersales.part.request.reject"
    _description = "Reject a Spare-Part Request"

    request_id = fields.Many2one(
        "aftersales.part.request", required=True, ondelete="cascade"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.request_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
