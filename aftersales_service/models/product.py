from odoo import models


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "product_id"


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "product_id"

    def _aftersales_ticket_domain(self):
        return [("product_id.product_tmpl_id", "in", self.ids)]

    def _aftersales_ticket_key(self, record):
        return record.product_tmpl_id

    def _aftersales_ticket_defaults(self):
        self.ensure_one()
        if len(self.product_variant_ids) == 1:
            return {"default_product_id": self.product_variant_id.id}
        return {}
