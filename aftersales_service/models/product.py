from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "product_id"


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "product_id"

    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        help="Overrides the warranty policy of the product category.",
    )
    aftersales_register_equipment = fields.Boolean(
        string="Register Delivered Units",
        help="Serial-numbered products always get a customer equipment record per "
        "delivered serial. Tick this to also register lot-tracked products (one "
        "record per lot) and untracked products (one record per unit).",
    )
    aftersales_extension_months = fields.Integer(
        string="Warranty Extension (months)",
        help="For a service product sold as extended warranty: how many months it "
        "adds to the warranty of the covered equipment once invoiced.",
    )

    @api.constrains("aftersales_extension_months")
    def _check_aftersales_extension_months(self):
        for template in self:
            if template.aftersales_extension_months < 0:
                raise ValidationError(
                    _(
                        "A warranty extension cannot be negative (%(product)s).",
                        product=template.display_name,
                    )
                )

    def _aftersales_ticket_domain(self):
        return [("product_id.product_tmpl_id", "in", self.ids)]

    def _aftersales_ticket_key(self, record):
        return record.product_tmpl_id

    def _aftersales_ticket_defaults(self):
        self.ensure_one()
        if len(self.product_variant_ids) == 1:
            return {"default_product_id": self.product_variant_id.id}
        return {}
