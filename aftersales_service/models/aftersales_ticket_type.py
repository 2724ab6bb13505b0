from odoo import fields, models


class AftersalesTicketType(models.Model):
    _name = "aftersales.ticket.type"
    _description = "Service Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in reports and integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    onsite_service = fields.Boolean(
        string="Needs On-Site Service",
        help="Tickets of this type are served at the customer's site, so the "
        "on-site target of their SLA applies from the start. Other tickets get "
        "it once a visit is planned.",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the type between companies."
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The code of a ticket type must be unique per company.",
        ),
    ]
