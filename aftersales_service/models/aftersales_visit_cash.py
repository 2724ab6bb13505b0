from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesVisit(models.Model):
    """Cash the technician collects on site, matched later against the invoice."""

    _inherit = "aftersales.visit"

    cash_amount = fields.Monetary(string="Cash Collected", copy=False, tracking=True)
    cash_receipt_number = fields.Char(
        string="Cash Receipt No.", copy=False, tracking=True
    )
    cash_payment_id = fields.Many2one(
        "account.payment", string="Cash Payment", readonly=True, copy=False
    )
    cash_state = fields.Selection(
        [("none", "No Cash"), ("collected", "Collected"), ("matched", "Matched")],
        string="Cash Status",
        compute="_compute_cash_state",
        store=True,
    )

    @api.depends("cash_amount", "cash_payment_id")
    def _compute_cash_state(self):
        for visit in self:
            if visit.cash_payment_id:
                visit.cash_state = "matched"
            elif visit.cash_amount:
                visit.cash_state = "collected"
            else:
                visit.cash_state = "none"

    @api.constrains("cash_amount", "cash_receipt_number")
    def _check_cash_receipt(self):
        for visit in self:
            if visit.cash_amount < 0:
                raise ValidationError(_("Cash collected cannot be negative."))
            if visit.cash_amount and not visit.cash_receipt_number:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: give the receipt number of the cash "
                        "collected.",
                        visit=visit.name,
                    )
                )
