from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_technician_id = fields.Many2one(
        "res.users",
        string="Service Van Of",
        index="btree_not_null",
        help="The technician whose van this location is: parts used on visits and "
        "approved spare-part requests come from and go to it. Only that "
        "technician's visits may take parts from it.",
    )

    def _aftersales_van_owner(self):
        """The technician owning this location or the nearest parent van."""
        self.ensure_one()
        location = self
        while location:
            if location.aftersales_technician_id:
                return location.aftersales_technician_id
            location = location.location_id
        return self.env["res.users"]

    def _aftersales_van_of(self, user):
        return self.search(
            [
                ("aftersales_technician_id", "=", user.id),
                ("usage", "=", "internal"),
                ("company_id", "in", [user.company_id.id, False]),
            ],
            limit=1,
        )
