from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_statistics_cutoff_day = fields.Integer(
        related="company_id.aftersales_statistics_cutoff_day", readonly=False
    )
    aftersales_statistics_send_day = fields.Integer(
        related="company_id.aftersales_statistics_send_day", readonly=False
    )
    aftersales_statistics_partner_ids = fields.Many2many(
        related="company_id.aftersales_statistics_partner_ids", readonly=False
    )
