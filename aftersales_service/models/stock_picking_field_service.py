from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_visit_id = fields.Many2one(
        "aftersales.visit",
        string="On-Site Visit",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    aftersales_part_request_id = fields.Many2one(
        "aftersales.part.request",
        string="Spare-Part Request",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
