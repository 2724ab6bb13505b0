from odoo import models


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "lot_id"
