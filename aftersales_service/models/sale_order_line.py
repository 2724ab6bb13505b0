from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_equipment_id = fields.Many2one(
        "aftersales.equipment",
        string="Covered Equipment",
        index="btree_not_null",
        help="For an extended warranty sold on its "
        "own: the customer equipment it extends. "
        "Left empty, it extends the units delivered on the same order.",
    )
