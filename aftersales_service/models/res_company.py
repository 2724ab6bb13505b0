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
