from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_labour_product_id = fields.Many2one(
        related="company_id.aftersales_labour_product_id", readonly=False
    )
    aftersales_travel_product_id = fields.Many2one(
        related="company_id.aftersales_travel_product_id", readonly=False
    )
    aftersales_fee_product_id = fields.Many2one(
        related="company_id.aftersales_fee_product_id", readonly=False
    )
    aftersales_discount_limit = fields.Float(
        related="company_id.aftersales_discount_limit", readonly=False
    )
    aftersales_quote_acceptance_required = fields.Boolean(
        related="company_id.aftersales_quote_acceptance_required", readonly=False
    )
    aftersales_visit_signature_required = fields.Boolean(
        related="company_id.aftersales_visit_signature_required", readonly=False
    )
    aftersales_cash_journal_id = fields.Many2one(
        related="company_id.aftersales_cash_journal_id", readonly=False
    )
