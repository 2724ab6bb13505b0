from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_number_reset = fields.Selection(
        [("monthly", "Every Month"), ("yearly", "Every Year")],
        string="Restart Ticket Numbers",
        default="monthly",
        required=True,
    )
    aftersales_mail_on_create = fields.Boolean(
        string="Mail Customer on Registration", default=True
    )
    aftersales_mail_on_close = fields.Boolean(
        string="Mail Customer on Closure", default=True
    )
    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Default Warranty Policy",
        help="Used for products whose product and category have no policy.",
    )
    aftersales_return_days = fields.Integer(
        string="Default Return Window (days)",
        default=7,
        help="三包: a faulty product may be returned "
        "within this many days of delivery.",
    )
    aftersales_exchange_days = fields.Integer(
        string="Default Exchange Window (days)",
        default=15,
        help="三包: a faulty product may be exchanged "
        "within this many days of delivery.",
    )
    aftersales_repeat_days = fields.Integer(
        string="Repeat Failure Window (days)",
        default=30,
        help="A new ticket on the same equipment within this many days of the previous "
        "one counts as a repeat failure.",
    )

    # Returns, exchanges and refunds
    aftersales_return_approval_amount = fields.Monetary(
        string="Return Approval Amount",
        currency_field="currency_id",
        default=5000.0,
        help="Returns worth more than this need a manager's approval before "
        "anything moves. Zero: only returns outside the 三包 window need it.",
    )
    aftersales_quality_return_months = fields.Integer(
        string="Quality Return Window (months)",
        default=3,
        help="A return for a quality problem is accepted within this many months "
        "of delivery (after an engineer's appraisal); later ones need approval.",
    )
    aftersales_return_repair_days = fields.Integer(
        string="Factory Repair Turnaround (working days)",
        default=5,
        help="A returned unit sent to repair is due back within this many working "
        "days of its arrival.",
    )
    aftersales_refund_without_return = fields.Boolean(
        string="Allow Refund Without Return",
        help="Allow refunding goods the customer does not send back.",
    )

    def _aftersales_tz(self):
        """The timezone of the company's dates (deliveries, warranty days)."""
        self.ensure_one()
        return self.partner_id.tz or self.env.user.tz or "UTC"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        ticket_model = self.env["aftersales.ticket"]
        for company in companies:
            ticket_model._get_ticket_sequence(company)
        return companies
