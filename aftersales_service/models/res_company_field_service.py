from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        domain=[("type", "=", "service")],
        help="Service product of labour lines (hours × rate) on service quotations.",
    )
    aftersales_travel_product_id = fields.Many2one(
        "product.product",
        string="Travel Product",
        domain=[("type", "=", "service")],
        help="Service product of travel/mileage lines, invoiced per kilometre driven.",
    )
    aftersales_fee_product_id = fields.Many2one(
        "product.product",
        string="Fixed Fee Product",
        domain=[("type", "=", "service")],
        help="Service product of fixed fees (call-out, inspection...).",
    )
    aftersales_discount_limit = fields.Float(
        string="Discount Limit (%)",
        default=10.0,
        help="Discounts or fee waivers above this rate on a service quotation need an "
        "After-Sales manager's approval before the quotation is confirmed.",
    )
    aftersales_quote_acceptance_required = fields.Boolean(
        string="Quotation Accepted Before Paid Work",
        default=True,
        help="Paid work (a visit or a workshop repair) cannot start before the "
        "customer has accepted a service quotation.",
    )
    aftersales_visit_signature_required = fields.Boolean(
        string="Signature Required to Complete a Visit",
        default=True,
        help="An on-site visit can only be completed once the customer has signed "
        "the service report.",
    )
    aftersales_cash_journal_id = fields.Many2one(
        "account.journal",
        string="On-Site Cash Journal",
        domain=[("type", "=", "cash")],
        help="Journal of the payments made from cash collected on site. Defaults to "
        "the company's first cash journal.",
    )

    def _aftersales_cash_journal(self):
        self.ensure_one()
        return self.aftersales_cash_journal_id or self.env["account.journal"].search(
            [("company_id", "=", self.id), ("type", "=", "cash")], limit=1
        )

    @api.model_create_multi
    def create(self, vals_list):
        # New companies start with the module's service products.
        defaults = {
            "aftersales_labour_product_id": "aftersales_service.product_service_labour",
            "aftersales_travel_product_id": "aftersales_service.product_service_travel",
            "aftersales_fee_product_id": "aftersales_service.product_service_fee",
        }
        for field, xmlid in defaults.items():
            product = self.env.ref(xmlid, raise_if_not_found=False)
            for vals in vals_list:
                if product and field not in vals:
                    vals[field] = product.id
        return super().create(vals_list)
