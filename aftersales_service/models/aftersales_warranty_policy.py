from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

START_BASES = [
    ("delivery", "Delivery Date"),
    ("installation", "Installation Date"),
    ("invoice", "Invoice Date"),
]
DURATION_UNITS = [("month", "Months"), ("day", "Days")]


class AftersalesWarrantyPolicy(models.Model):
    """How long and how far a product is covered; its 三包 windows."""

    _name = "aftersales.warranty.policy"
    _description = "Warranty Policy"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the policy between companies."
    )
    duration = fields.Integer(string="Length", required=True, default=12)
    duration_unit = fields.Selection(
        DURATION_UNITS, string="Length Unit", required=True, default="month"
    )
    start_basis = fields.Selection(
        START_BASES,
        string="Starts From",
        required=True,
        default="delivery",
        help="The warranty runs from the real delivery of the unit, its installation "
        "or the customer invoice. Without an installation or invoice date it runs "
        "from the delivery.",
    )
    parts_coverage = fields.Float(string="Parts Covered (%)", default=100.0)
    labour_coverage = fields.Float(string="Labour Covered (%)", default=100.0)
    travel_coverage = fields.Float(string="Travel Covered (%)", default=100.0)
    exclusions = fields.Text(
        translate=True,
        help="What the warranty does not cover, printed on service forms.",
    )
    return_days = fields.Integer(
        string="Return Window (days)",
        default=lambda self: self.env.company.aftersales_return_days,
        help="三包: days after delivery during which a faulty unit may be returned.",
    )
    exchange_days = fields.Integer(
        string="Exchange Window (days)",
        default=lambda self: self.env.company.aftersales_exchange_days,
        help="三包: days after delivery during which a faulty unit may be exchanged.",
    )

    @api.constrains(
        "duration",
        "duration_unit",
        "return_days",
        "exchange_days",
        "parts_coverage",
        "labour_coverage",
        "travel_coverage",
    )
    def _check_values(self):
        for policy in self:
            if policy.duration <= 0:
                raise ValidationError(
                    _(
                        "Warranty policy %(policy)s needs a positive length.",
                        policy=policy.name,
                    )
                )
            if policy.return_days < 0 or policy.exchange_days < 0:
                raise ValidationError(
                    _(
                        "The return and exchange windows "
                        "of %(policy)s cannot be negative.",
                        policy=policy.name,
                    )
                )
            if policy.return_days > policy.exchange_days:
                raise ValidationError(
                    _(
                        "The return window of %(policy)s "
                        "(%(return_days)s days) cannot be "
                        "longer than its exchange window (%(exchange_days)s days).",
                        policy=policy.name,
                        return_days=policy.return_days,
                        exchange_days=policy.exchange_days,
                    )
                )
            if policy.exchange_days > policy._shortest_length_in_days():
                raise ValidationError(
                    _(
                        "The exchange window of %(policy)s "
                        "(%(days)s days) is longer than "
                        "the warranty itself.",
                        policy=policy.name,
                        days=policy.exchange_days,
                    )
                )
            for label, value in (
                (_("parts"), policy.parts_coverage),
                (_("labour"), policy.labour_coverage),
                (_("travel"), policy.travel_coverage),
            ):
                if not 0 <= value <= 100:
                    raise ValidationError(
                        _(
                            "The %(what)s coverage of %(policy)s "
                            "must be between 0 and 100 %%.",
                            what=label,
                            policy=policy.name,
                        )
                    )

    def _shortest_length_in_days(self):
        """The fewest days the warranty can last (a month counts as 28 days)."""
        self.ensure_one()
        return self.duration * (28 if self.duration_unit == "month" else 1)

    def _end_date(self, start):
        """Last day covered when the warranty starts on ``start``."""
        self.ensure_one()
        if self.duration_unit == "month":
            return start + relativedelta(months=self.duration)
        return start + relativedelta(days=self.duration)

    def _length_label(self):
        self.ensure_one()
        if self.duration_unit == "month":
            return _("%(count)s-month", count=self.duration)
        return _("%(count)s-day", count=self.duration)

    @api.model
    def _policy_for_products(self, products, company):
        """{product id: policy}: the product's own, else its category's (or a parent
        category's), else the company default."""
        result = {}
        for product in products:
            policy = product.aftersales_warranty_policy_id
            category = product.categ_id
            while not policy and category:
                policy = category.aftersales_warranty_policy_id
                category = category.parent_id
            result[product.id] = policy or company.aftersales_warranty_policy_id
        return result
