from odoo import _, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_rma_location_id = fields.Many2one(
        "stock.location",
        string="Return Quarantine Location",
        check_company=True,
        help="Returned goods wait here, outside the sellable stock, until "
        "quality has inspected them and a disposition is decided.",
    )

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get(
            "company_id", self.default_get(["company_id"])["company_id"]
        )
        values["aftersales_rma_location_id"] = {
            "name": _("Return Quarantine"),
            "active": True,
            "usage": "internal",
            "barcode": self._valid_barcode(code + "RMA", company_id),
        }
        return values
