from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_return_line_id = fields.Many2one(
        "aftersales.return.line",
        string="Return Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
