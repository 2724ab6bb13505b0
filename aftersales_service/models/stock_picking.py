from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        help="Backorders and returns of a ticket's transfer stay on the ticket.",
    )
