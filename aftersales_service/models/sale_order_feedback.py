from odoo import fields, models


class SaleOrder(models.Model):
    """The technician of a service quotation, to add up paid-service revenue."""

    _inherit = "sale.order"

    aftersales_technician_id = fields.Many2one(
        related="aftersales_ticket_id.user_id",
        store=True,
        index="btree_not_null",
        string="Service Technician",
    )
