from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_number_reset = fields.Selection(
        related="company_id.aftersales_number_reset", readonly=False
    )
    aftersales_mail_on_create = fields.Boolean(
        related="company_id.aftersales_mail_on_create", readonly=False
    )
    aftersales_mail_on_close = fields.Boolean(
        related="company_id.aftersales_mail_on_close", readonly=False
    )

    aftersales_warranty_policy_id = fields.Many2one(
        related="company_id.aftersales_warranty_policy_id", readonly=False
    )
    aftersales_return_days = fields.Integer(
        related="company_id.aftersales_return_days", readonly=False
    )
    aftersales_exchange_days = fields.Integer(
        related="company_id.aftersales_exchange_days", readonly=False
    )
    aftersales_repeat_days = fields.Integer(
        related="company_id.aftersales_repeat_days", readonly=False
    )

    # Returns, exchanges and refunds
    aftersales_return_approval_amount = fields.Monetary(
        related="company_id.aftersales_return_approval_amount",
        currency_field="currency_id",
        readonly=False,
    )
    aftersales_quality_return_months = fields.Integer(
        related="company_id.aftersales_quality_return_months", readonly=False
    )
    aftersales_return_repair_days = fields.Integer(
        related="company_id.aftersales_return_repair_days", readonly=False
    )
    aftersales_refund_without_return = fields.Boolean(
        related="company_id.aftersales_refund_without_return", readonly=False
    )

    def action_open_aftersales_sequence(self):
        sequence = self.env["aftersales.ticket"]._get_ticket_sequence(self.company_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "ir.sequence",
            "res_id": sequence.id,
            "view_mode": "form",
            "target": "current",
        }
