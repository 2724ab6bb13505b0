from random import randint

from odoo import fields, models


class AftersalesTag(models.Model):
    _name = "aftersales.tag"
    _description = "Service Ticket Tag"
    _order = "name"

    def _default_color(self):
        return randint(1, 11)

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=_default_color)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")

    _sql_constraints = [
        (
            "name_uniq",
            "unique(name, company_id)",
            "A tag with this name already exists.",
        ),
    ]
