from odoo import _, api, fields, models
from odoo.tools import formatLang


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

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        found = super().name_search(name, args, operator, limit)
        if not self.env.context.get("aftersales_returnable_hint"):
            return found
        # Choosing what to return: say how much of each line is left to return.
        lines = self.browse([line_id for line_id, _label in found])
        quantities = self.env["aftersales.return.line"]._returnable_quantities(lines)
        labels = []
        for line_id, label in found:
            delivered, returned = quantities.get((line_id, False), (0.0, 0.0))
            line = self.browse(line_id)
            labels.append(
                (
                    line_id,
                    _(
                        "%(line)s (%(qty)s %(uom)s returnable)",
                        line=label,
                        qty=formatLang(
                            self.env,
                            max(delivered - returned, 0.0),
                            dp="Product Unit of Measure",
                        ),
                        uom=line.sudo().product_id.uom_id.name,
                    ),
                )
            )
        return labels
