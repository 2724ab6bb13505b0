from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

COST_KINDS = [
    ("labour", "Labour"),
    ("parts", "Parts"),
    ("travel", "Travel"),
    ("fee", "Fee"),
]
COVERAGE_FIELDS = {
    "labour": "labour_coverage",
    "parts": "parts_coverage",
    "travel": "travel_coverage",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_ticket_id = fields.Many2one(
        related="order_id.aftersales_ticket_id",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    aftersales_cost_kind = fields.Selection(
        COST_KINDS,
        string="Cost Type",
        compute="_compute_aftersales_cost_kind",
        store=True,
        precompute=True,
    )
    aftersales_service_category = fields.Selection(
        string="Service Category",
        related="order_id.aftersales_ticket_id.service_category",
        store=True,
        precompute=True,
    )
    aftersales_coverage = fields.Float(
        string="Warranty Cover (%)",
        compute="_compute_aftersales_coverage",
        store=True,
        precompute=True,
        help="Share of the price the warranty policy covers; it becomes the discount.",
    )
    aftersales_covered = fields.Boolean(
        compute="_compute_aftersales_coverage", store=True, precompute=True
    )
    qty_delivered_method = fields.Selection(
        selection_add=[("aftersales", "After-Sales Visits and Repairs")]
    )

    @api.depends("product_id", "order_id.company_id", "aftersales_ticket_id")
    def _compute_aftersales_cost_kind(self):
        for line in self:
            company = line.order_id.company_id
            product = line.product_id
            if not line.aftersales_ticket_id or not product:
                line.aftersales_cost_kind = False
            elif product == company.aftersales_labour_product_id:
                line.aftersales_cost_kind = "labour"
            elif product == company.aftersales_travel_product_id:
                line.aftersales_cost_kind = "travel"
            elif product.type == "consu":
                line.aftersales_cost_kind = "parts"
            else:
                line.aftersales_cost_kind = "fee"

    @api.depends(
        "aftersales_cost_kind",
        "order_id.aftersales_ticket_id.service_category",
        "order_id.aftersales_ticket_id.warranty_policy_id.parts_coverage",
        "order_id.aftersales_ticket_id.warranty_policy_id.labour_coverage",
        "order_id.aftersales_ticket_id.warranty_policy_id.travel_coverage",
    )
    def _compute_aftersales_coverage(self):
        for line in self:
            ticket = line.aftersales_ticket_id
            field = COVERAGE_FIELDS.get(line.aftersales_cost_kind)
            policy = ticket.warranty_policy_id
            if ticket.service_category == "warranty" and field:
                line.aftersales_covered = True
                line.aftersales_coverage = policy[field] if policy else 100.0
            else:
                line.aftersales_covered = False
                line.aftersales_coverage = 0.0

    @api.depends("aftersales_coverage", "aftersales_covered")
    def _compute_discount(self):
        res = super()._compute_discount()
        for line in self.filtered("aftersales_covered"):
            line.discount = line.aftersales_coverage
        return res

    def _aftersales_manual_reduction(self):
        """How much below its list price the line is sold, in %: the discount,
        or a unit price lowered by hand (a fee waived by typing 0)."""
        self.ensure_one()
        reference = self.technical_price_unit
        if reference <= 0:
            return self.discount
        net = self.price_unit * (1 - self.discount / 100.0)
        return max(self.discount, 100.0 * (1 - net / reference))

    @api.constrains("discount", "aftersales_coverage", "aftersales_covered")
    def _check_covered_discount(self):
        for line in self.filtered("aftersales_covered"):
            if float_compare(line.discount, line.aftersales_coverage, 2):
                raise ValidationError(
                    _(
                        "%(product)s is covered by the warranty at %(cover)s%%: its "
                        "discount comes from the warranty policy and cannot be set by "
                        "hand.",
                        product=line.product_id.display_name,
                        cover=line.aftersales_coverage,
                    )
                )

    # ------------------------------------------------------------------
    # Delivered quantities: hours and kilometres of the ticket's work
    # ------------------------------------------------------------------

    @api.depends("aftersales_cost_kind")
    def _compute_qty_delivered_method(self):
        res = super()._compute_qty_delivered_method()
        for line in self:
            if line.aftersales_cost_kind in ("labour", "travel"):
                line.qty_delivered_method = "aftersales"
        return res

    @api.depends(
        "order_id.aftersales_ticket_id.visit_ids.state",
        "order_id.aftersales_ticket_id.visit_ids.labour_hours",
        "order_id.aftersales_ticket_id.visit_ids.travel_distance",
        "order_id.aftersales_ticket_id.repair_ids.state",
        "order_id.aftersales_ticket_id.repair_ids.repair_hours",
    )
    def _compute_qty_delivered(self):
        ours = self.filtered(lambda line: line.qty_delivered_method == "aftersales")
        # The first confirmed labour/travel line of a ticket carries its work.
        carriers = {}
        candidates = (
            self.search(
                [
                    ("aftersales_ticket_id", "in", ours.aftersales_ticket_id.ids),
                    ("qty_delivered_method", "=", "aftersales"),
                    ("state", "=", "sale"),
                ],
                order="id",
            )
            if ours
            else self.browse()
        )
        for line in candidates:
            carriers.setdefault(
                (line.aftersales_ticket_id.id, line.aftersales_cost_kind), line
            )
        work = ours.aftersales_ticket_id._aftersales_work_done()
        hour = self.env.ref("uom.product_uom_hour")
        km = self.env.ref("uom.product_uom_km")
        for line in ours:
            key = (line.aftersales_ticket_id.id, line.aftersales_cost_kind)
            if line.state != "sale" or carriers.get(key) != line:
                line.qty_delivered = 0.0
                continue
            done = work[line.aftersales_ticket_id.id]
            source_uom = hour if line.aftersales_cost_kind == "labour" else km
            quantity = done[line.aftersales_cost_kind]
            if source_uom.category_id == line.product_uom.category_id:
                quantity = source_uom._compute_quantity(quantity, line.product_uom)
            line.qty_delivered = quantity
        return super(SaleOrderLine, self - ours)._compute_qty_delivered()

    # Parts of a service quotation are issued by visits and repairs, not by a
    # delivery order of their own.
    def _action_launch_stock_rule(self, **kwargs):
        return super(
            SaleOrderLine,
            self.filtered(lambda line: line.aftersales_cost_kind != "parts"),
        )._action_launch_stock_rule(**kwargs)
