from odoo import fields, models


class AftersalesReturnReason(models.Model):
    """Why a customer sends goods back (configurable list)."""

    _name = "aftersales.return.reason"
    _description = "Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the reason between companies."
    )
    is_quality = fields.Boolean(
        string="Quality Problem",
        help="A quality return may be made within the quality return window; "
        "other returns only within the 三包 return or exchange window.",
    )
    default_outcome = fields.Selection(
        [
            ("refund", "Refund"),
            ("exchange_same", "Exchange for the Same Product"),
            ("exchange_other", "Exchange for Another Product"),
            ("repair", "Repair and Send Back"),
            ("none", "None"),
        ],
        help="Proposed outcome when this reason is chosen on a return line.",
    )
