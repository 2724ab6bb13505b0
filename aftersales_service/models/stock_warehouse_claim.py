from odoo import _, api, fields, models


class StockWarehouse(models.Model):
    """Every warehouse has a Warranty Hold location for failed parts waiting
    for inspection. It sits beside the stock location, not inside it, so that
    held parts are never sold or reserved."""

    _inherit = "stock.warehouse"

    aftersales_hold_location_id = fields.Many2one(
        "stock.location",
        string="Warranty Hold Location",
        check_company=True,
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._aftersales_ensure_hold_location()
        return warehouses

    @api.model
    def _aftersales_create_hold_locations(self):
        """Install and update: give the warehouses that lack one a hold location."""
        self.search(
            [("aftersales_hold_location_id", "=", False)]
        )._aftersales_ensure_hold_location()

    def _aftersales_ensure_hold_location(self):
        for warehouse in self.filtered(lambda w: not w.aftersales_hold_location_id):
            warehouse.aftersales_hold_location_id = (
                self.env["stock.location"]
                .sudo()
                .create(
                    {
                        "name": _("Warranty Hold"),
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": warehouse.company_id.id,
                    }
                )
            )
