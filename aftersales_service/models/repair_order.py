from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_return_line_id = fields.Many2one(
        "aftersales.return.line",
        string="Return Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
