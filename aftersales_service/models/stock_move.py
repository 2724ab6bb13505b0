from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        customer_moves = moves.filtered(
            lambda m: m.state == "done"
            and "customer" in (m.location_id.usage, m.location_dest_id.usage)
        )
        if customer_moves:
            self.env["aftersales.equipment"].sudo()._register_customer_moves(
                customer_moves
            )
        return moves

    def _aftersales_equipment_values(self):
        """What a done delivery move says about the unit it delivered."""
        self.ensure_one()
        partner = self.picking_id.partner_id or self.partner_id
        return {
            "partner_id": partner.commercial_partner_id.id,
            "site_partner_id": partner.id,
            "product_id": self.product_id.id,
            "sale_line_id": self.sale_line_id.id,
            "picking_id": self.picking_id.id,
            "delivery_date": fields.Date.context_today(
                self.with_context(tz=self.company_id._aftersales_tz()), self.date
            ),
            "company_id": self.company_id.id,
        }
