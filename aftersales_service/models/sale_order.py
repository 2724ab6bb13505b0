from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "sale_order_id"
