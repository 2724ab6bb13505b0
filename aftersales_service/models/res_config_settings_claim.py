from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_claim_auto_propose = fields.Boolean(
        related="company_id.aftersales_claim_auto_propose", readonly=False
    )
    aftersales_claim_min_photos = fields.Integer(
        related="company_id.aftersales_claim_min_photos", readonly=False
    )
    aftersales_claim_hold_days = fields.Integer(
        related="company_id.aftersales_claim_hold_days", readonly=False
    )
    aftersales_claim_hold_location_id = fields.Many2one(
        related="company_id.aftersales_claim_hold_location_id", readonly=False
    )
    aftersales_claim_second_approval_amount = fields.Monetary(
        related="company_id.aftersales_claim_second_approval_amount", readonly=False
    )
    aftersales_claim_labour_rate = fields.Monetary(
        related="company_id.aftersales_claim_labour_rate", readonly=False
    )
    aftersales_claim_mileage_rate = fields.Monetary(
        related="company_id.aftersales_claim_mileage_rate", readonly=False
    )
    aftersales_claim_request_rows = fields.Integer(
        related="company_id.aftersales_claim_request_rows", readonly=False
    )
    aftersales_claim_form_rows = fields.Integer(
        related="company_id.aftersales_claim_form_rows", readonly=False
    )
    aftersales_claim_form_copies = fields.Integer(
        related="company_id.aftersales_claim_form_copies", readonly=False
    )
    aftersales_claim_journal_id = fields.Many2one(
        related="company_id.aftersales_claim_journal_id", readonly=False
    )
    aftersales_claim_expense_account_id = fields.Many2one(
        related="company_id.aftersales_claim_expense_account_id", readonly=False
    )
    aftersales_claim_parts_account_id = fields.Many2one(
        related="company_id.aftersales_claim_parts_account_id", readonly=False
    )
    aftersales_claim_labour_account_id = fields.Many2one(
        related="company_id.aftersales_claim_labour_account_id", readonly=False
    )
    aftersales_claim_travel_account_id = fields.Many2one(
        related="company_id.aftersales_claim_travel_account_id", readonly=False
    )
    aftersales_claim_recovery_account_id = fields.Many2one(
        related="company_id.aftersales_claim_recovery_account_id", readonly=False
    )
