from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesTicket(models.Model):
    """Where the product came from: sale order line, delivery and lot/serial.

    Choosing one of them fills what it implies; combinations that cannot be true
    (a serial never delivered to this customer, a product not on the order...)
    are refused.
    """

    _inherit = "aftersales.ticket"

    partner_id = fields.Many2one(
        compute="_compute_partner_id", store=True, readonly=False, precompute=True
    )
    contact_id = fields.Many2one(
        compute="_compute_partner_id", store=True, readonly=False, precompute=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        compute="_compute_sale_order_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('state', '=', 'sale'), ('partner_id', 'child_of', partner_id)]",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        compute="_compute_sale_line_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('order_id', '=?', sale_order_id), ('display_type', '=', False), "
        "('order_id.state', '=', 'sale')]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        compute="_compute_picking_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done'), "
        "('partner_id', 'child_of', partner_id)]",
    )

    # ------------------------------------------------------------------
    # What a choice implies
    # ------------------------------------------------------------------

    @api.depends("lot_id")
    def _compute_picking_id(self):
        last_moves = self._last_customer_deliveries(self.lot_id)
        for ticket in self:
            move_line = ticket._lot_delivery_of_customer(last_moves)
            if move_line and move_line.move_id.picking_id:
                ticket.picking_id = move_line.move_id.picking_id.id

    @api.depends("lot_id", "picking_id")
    def _compute_sale_line_id(self):
        last_moves = self._last_customer_deliveries(self.lot_id)
        for ticket in self:
            move_line = ticket._lot_delivery_of_customer(last_moves)
            if move_line and move_line.move_id.sale_line_id:
                ticket.sale_line_id = move_line.move_id.sale_line_id.id

    def _lot_delivery_of_customer(self, last_moves):
        """The serial's last delivery, unless it went to another customer than
        the one already on the ticket: the serial does not choose the customer."""
        move_line = last_moves.get(self.lot_id.id)
        customer = self.partner_id.commercial_partner_id
        if move_line and customer and self._move_line_customer(move_line) != customer:
            return False
        return move_line

    @api.model
    def _move_line_customer(self, move_line):
        move = move_line.move_id
        return (move.picking_id.partner_id or move.partner_id).commercial_partner_id

    @api.depends("sale_line_id", "picking_id")
    def _compute_sale_order_id(self):
        for ticket in self:
            order = ticket.sale_line_id.order_id or ticket.picking_id.sale_id
            if order:
                ticket.sale_order_id = order

    @api.depends("sale_line_id", "lot_id")
    def _compute_product_id(self):
        for ticket in self:
            product = ticket.lot_id.product_id or ticket.sale_line_id.product_id
            if product:
                ticket.product_id = product

    @api.depends("sale_order_id", "picking_id")
    def _compute_partner_id(self):
        for ticket in self:
            person = ticket.sale_order_id.partner_id or ticket.picking_id.partner_id
            if not person:
                continue
            # A customer already typed stays: a wrong order, delivery or serial
            # is reported, it does not silently change whom the ticket is for.
            if (
                ticket.partner_id
                and ticket.partner_id.commercial_partner_id
                != person.commercial_partner_id
            ):
                continue
            ticket.partner_id = person.commercial_partner_id
            if person != person.commercial_partner_id:
                ticket.contact_id = person

    @api.onchange("lot_id")
    def _onchange_lot_id_warn_customer(self):
        customer = self.partner_id.commercial_partner_id
        if not (self.lot_id and customer):
            return None
        move_line = self._last_customer_deliveries(self.lot_id).get(self.lot_id.id)
        if not move_line:
            return None
        owner = self._move_line_customer(move_line)
        if owner == customer:
            return None
        return {
            "warning": {
                "title": _("Serial of another customer"),
                "message": _(
                    "Serial %(lot)s was delivered to %(owner)s, not to %(customer)s. "
                    "Check the serial number, or change the customer.",
                    lot=self.lot_id.name,
                    owner=owner.name,
                    customer=customer.name,
                ),
            }
        }

    @api.model
    def _customer_move_lines(self, lots):
        """Done move lines that took these lots to a customer, newest first.

        Read as superuser: service staff need not be warehouse users.
        """
        if not lots:
            return self.env["stock.move.line"]
        return (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                order="date desc, id desc",
            )
        )

    @api.model
    def _last_customer_deliveries(self, lots):
        """{lot id: latest move line that delivered it to a customer}."""
        latest = {}
        for move_line in self._customer_move_lines(lots):
            latest.setdefault(move_line.lot_id.id, move_line)
        return latest

    # ------------------------------------------------------------------
    # Consistency
    # ------------------------------------------------------------------

    @api.constrains(
        "partner_id",
        "product_id",
        "lot_id",
        "sale_order_id",
        "sale_line_id",
        "picking_id",
        "company_id",
    )
    def _check_origin_consistency(self):
        # The rule needs orders and deliveries the user may not be allowed to open.
        delivered = self._lot_delivery_customers(self.lot_id)
        for ticket in self.sudo():
            error = ticket._origin_inconsistency(delivered)
            if error:
                raise ValidationError(error)

    @api.model
    def _lot_delivery_customers(self, lots):
        """{lot id: {(commercial partner id, picking id), ...}} of done deliveries."""
        result = {}
        for move_line in self._customer_move_lines(lots):
            move = move_line.move_id
            partner = move.picking_id.partner_id or move.partner_id
            result.setdefault(move_line.lot_id.id, set()).add(
                (partner.commercial_partner_id.id, move.picking_id.id)
            )
        return result

    def _origin_inconsistency(self, delivered):
        """The first contradiction between the ticket's origin fields, or ``False``.

        The serial is checked first: it is the hardest fact, and what it implies
        (delivery, order) would otherwise be reported instead of the cause.
        """
        self.ensure_one()
        return (
            self._lot_inconsistency(delivered)
            or self._picking_inconsistency()
            or self._sale_inconsistency()
        )

    def _lot_inconsistency(self, delivered):
        customer = self.partner_id.commercial_partner_id
        lot, product, picking = self.lot_id, self.product_id, self.picking_id
        if not lot:
            return False
        if product and lot.product_id != product:
            return _(
                "Lot/serial %(lot)s is for product %(lot_product)s, not %(product)s.",
                lot=lot.name,
                lot_product=lot.product_id.display_name,
                product=product.display_name,
            )
        if not customer:
            return False
        deliveries = delivered.get(lot.id, set())
        if not any(partner_id == customer.id for partner_id, _picking in deliveries):
            return _(
                "Lot/serial %(lot)s was never delivered to customer %(customer)s.",
                lot=lot.name,
                customer=customer.name,
            )
        if picking and (customer.id, picking.id) not in deliveries:
            return _(
                "Lot/serial %(lot)s was not shipped on delivery %(picking)s.",
                lot=lot.name,
                picking=picking.name,
            )
        return False

    def _picking_inconsistency(self):
        customer = self.partner_id.commercial_partner_id
        picking, order, product = self.picking_id, self.sale_order_id, self.product_id
        if not picking:
            return False
        if picking.picking_type_code != "outgoing":
            return _(
                "%(picking)s is not a delivery to a customer.", picking=picking.name
            )
        if customer and picking.partner_id.commercial_partner_id != customer:
            return _(
                "Delivery %(picking)s went to "
                "%(picking_customer)s, not to %(customer)s.",
                picking=picking.name,
                picking_customer=picking.partner_id.commercial_partner_id.name,
                customer=customer.name,
            )
        if order and picking.sale_id and picking.sale_id != order:
            return _(
                "Delivery %(picking)s belongs to sale "
                "order %(picking_order)s, not %(order)s.",
                picking=picking.name,
                picking_order=picking.sale_id.name,
                order=order.name,
            )
        if product and product not in picking.move_ids.product_id:
            return _(
                "Product %(product)s was not shipped on delivery %(picking)s.",
                product=product.display_name,
                picking=picking.name,
            )
        return False

    def _sale_inconsistency(self):
        customer = self.partner_id.commercial_partner_id
        line, order, product = self.sale_line_id, self.sale_order_id, self.product_id
        if line and line.company_id != self.company_id:
            return _(
                "Sale order line %(line)s belongs to company %(line_company)s, "
                "not to %(company)s.",
                line=line.display_name,
                line_company=line.company_id.name,
                company=self.company_id.name,
            )
        if line and order and line.order_id != order:
            return _(
                "Sale order line %(line)s is not on sale order %(order)s.",
                line=line.display_name,
                order=order.name,
            )
        if line and product and line.product_id != product:
            return _(
                "Sale order line %(line)s is for %(line_product)s, not %(product)s.",
                line=line.display_name,
                line_product=line.product_id.display_name,
                product=product.display_name,
            )
        if order and customer and order.partner_id.commercial_partner_id != customer:
            return _(
                "Sale order %(order)s is for customer "
                "%(order_customer)s, not %(customer)s.",
                order=order.name,
                order_customer=order.partner_id.commercial_partner_id.name,
                customer=customer.name,
            )
        if order and product and product not in order.order_line.product_id:
            return _(
                "Product %(product)s is not on sale order %(order)s.",
                product=product.display_name,
                order=order.name,
            )
        return False
