from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_recovery_id = fields.Many2one(
        "aftersales.supplier.recovery",
        string="Supplier Warranty Recovery",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        recoveries = posted.filtered(
            lambda m: m.move_type == "in_refund"
        ).aftersales_recovery_id
        if recoveries:
            recoveries.sudo()._on_credit_note_posted()
        return posted


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_claim_id = fields.Many2one(
        "aftersales.warranty.claim",
        string="Warranty Claim",
        index="btree_not_null",
        copy=False,
    )
