from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.osv import expression

# Context keys set by the serial fields of tickets and return lines: the
# suggestions name the product and customer, this customer's units come first,
# and no serial can be created from there.
SERIAL_HINT = "aftersales_serial_hint"
SERIAL_PARTNER = "aftersales_serial_partner_id"


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "lot_id"

    @api.depends_context(SERIAL_HINT)
    def _compute_display_name(self):
        super()._compute_display_name()
        if not self.env.context.get(SERIAL_HINT):
            return
        # Service staff need not be warehouse users to see where a unit went.
        owners = self.env["aftersales.ticket"]._last_customer_deliveries(self)
        for lot in self:
            move_line = owners.get(lot.id)
            customer = move_line and (
                move_line.move_id.picking_id.partner_id or move_line.move_id.partner_id
            )
            parts = [lot.name, lot.product_id.display_name]
            if customer:
                parts.append(customer.commercial_partner_id.name)
            lot.display_name = " · ".join(part for part in parts if part)

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        partner_id = self.env.context.get(SERIAL_PARTNER)
        if not partner_id:
            return super().name_search(name, args, operator, limit)
        partner = self.env["res.partner"].browse(partner_id).exists()
        own_domain = [("id", "in", self._aftersales_delivered_to(partner).ids)]
        own = super().name_search(
            name, expression.AND([args or [], own_domain]), operator, limit
        )
        if limit and len(own) >= limit:
            return own
        rest = super().name_search(
            name,
            expression.AND([args or [], ["!"] + own_domain]),
            operator,
            limit and limit - len(own),
        )
        return own + rest

    @api.model
    def _aftersales_delivered_to(self, partner):
        """Lots delivered to this customer (any of its contacts)."""
        if not partner:
            return self.browse()
        customer = partner.commercial_partner_id
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "!=", False),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_id.partner_id", "child_of", customer.id),
                ]
            )
        )
        return self.browse(move_lines.lot_id.ids)

    @api.model
    def name_create(self, name):
        self._check_not_from_service_entry()
        return super().name_create(name)

    @api.model_create_multi
    def create(self, vals_list):
        self._check_not_from_service_entry()
        return super().create(vals_list)

    @api.model
    def _check_not_from_service_entry(self):
        # A typo in a ticket's serial field must not register a unit nobody sold.
        if self.env.context.get(SERIAL_HINT):
            raise UserError(
                _(
                    "Serial numbers cannot be created from a ticket: choose one that "
                    "was delivered, or leave the field empty."
                )
            )
