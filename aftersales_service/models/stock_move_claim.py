from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _aftersales_unit_cost(self, product):
        """Unit cost of the parts these moves took out of stock: their valuation,
        else the product's current cost."""
        layers = self.sudo().stock_valuation_layer_ids
        quantity = sum(layers.mapped("quantity"))
        if layers and quantity:
            return abs(sum(layers.mapped("value")) / quantity)
        return product.sudo().standard_price
