from odoo import api, fields, models


class AftersalesWarrantyExtension(models.Model):
    """Months added to one unit's warranty by an invoiced extended-warranty line."""

    _name = "aftersales.warranty.extension"
    _description = "Warranty Extension"
    _order = "date, id"

    equipment_id = fields.Many2one(
        "aftersales.equipment", required=True, ondelete="cascade", index=True
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sold On",
        required=True,
        ondelete="cascade",
        index=True,
    )
    product_id = fields.Many2one(related="sale_line_id.product_id")
    months = fields.Integer(required=True)
    date = fields.Date(string="Invoiced On", default=fields.Date.context_today)
    company_id = fields.Many2one(related="equipment_id.company_id", store=True)

    _sql_constraints = [
        (
            "line_equipment_uniq",
            "unique(sale_line_id, equipment_id)",
            "An extended warranty line extends a unit only once.",
        ),
    ]

    @api.model
    def _extend_from_lines(self, lines):
        """Extend the equipment each invoiced extension line covers, once per unit."""
        Equipment = self.env["aftersales.equipment"]
        lines = lines.filtered(
            lambda line: line.product_id.aftersales_extension_months > 0
        )
        already = {
            (ext.sale_line_id.id, ext.equipment_id.id)
            for ext in self.search([("sale_line_id", "in", lines.ids)])
        }
        values = []
        for line in lines:
            if line.qty_invoiced <= 0:
                continue
            months = line.product_id.aftersales_extension_months
            done = sum(1 for line_id, _equipment in already if line_id == line.id)
            if line.aftersales_equipment_id:
                targets = line.aftersales_equipment_id
            else:
                targets = Equipment.search(
                    [
                        ("sale_order_id", "=", line.order_id.id),
                        ("state", "=", "in_service"),
                    ],
                    order="id",
                )
            room = int(line.qty_invoiced) - done
            for equipment in targets:
                if room <= 0:
                    break
                if (line.id, equipment.id) in already:
                    continue
                values.append(
                    {
                        "equipment_id": equipment.id,
                        "sale_line_id": line.id,
                        "months": months,
                    }
                )
                already.add((line.id, equipment.id))
                room -= 1
        return self.create(values)
