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
    aftersales_mail_on_close = fields.Boolean(string="Mail Customer on Closure", default=True)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        ticket_model = self.env["aftersales.ticket"]
        for company in companies:
            ticket_model._get_ticket_sequence(company)
        return companies
