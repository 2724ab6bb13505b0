from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class AftersalesVisitPart(models.Model):
    """A part used on a visit, issued from a van or a warehouse to the customer."""

    _name = "aftersales.visit.part"
    _description = "Part Used on a Visit"
    _order = "visit_id, id"
    _check_company_auto = True

    visit_id = fields.Many2one(
        "aftersales.visit", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        domain=[("type", "=", "consu")],
        check_company=True,
    )
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )
    product_uom_id = fields.Many2one(
        "uom.uom", string="Unit", related="product_id.uom_id", readonly=True
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Taken From",
        required=True,
        compute="_compute_location_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        help="The technician's van or a warehouse location.",
    )
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty",
        store=True,
        readonly=False,
        precompute=True,
        help="Replaced free under warranty: the old part must be returned.",
    )
    old_part_returned = fields.Boolean()
    old_part_serial = fields.Char()
    move_id = fields.Many2one(
        "stock.move", string="Stock Move", readonly=True, copy=False
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Quotation Line", readonly=True, copy=False
    )

    @api.depends("visit_id.user_id")
    def _compute_location_id(self):
        for part in self:
            if part.location_id or not part.visit_id:
                continue
            user = part.visit_id.user_id
            van = self.env["stock.location"]._aftersales_van_of(user) if user else False
            part.location_id = (
                van
                or self.env["stock.warehouse"]
                .search([("company_id", "=", part.visit_id.company_id.id)], limit=1)
                .lot_stock_id
            )

    @api.depends("visit_id.service_category")
    def _compute_under_warranty(self):
        for part in self:
            part.under_warranty = part.visit_id.service_category == "warranty"

    @api.constrains("location_id", "visit_id")
    def _check_location_allowed(self):
        for part in self:
            location = part.location_id
            if location.usage != "internal":
                raise ValidationError(
                    _("Parts can only be taken from an internal stock location.")
                )
            owner = location._aftersales_van_owner()
            if owner and owner not in part.visit_id.technician_ids:
                raise ValidationError(
                    _(
                        "%(location)s is the van of %(owner)s, who is not on visit "
                        "%(visit)s: take the part from your own van or a warehouse.",
                        location=location.display_name,
                        owner=owner.name,
                        visit=part.visit_id.name,
                    )
                )

    @api.constrains("lot_id", "product_id", "quantity")
    def _check_lot(self):
        for part in self:
            if part.quantity <= 0:
                raise ValidationError(_("A part quantity must be positive."))
            if part.lot_id and part.lot_id.product_id != part.product_id:
                raise ValidationError(
                    _(
                        "Lot %(lot)s is not a lot of %(product)s.",
                        lot=part.lot_id.name,
                        product=part.product_id.display_name,
                    )
                )
            if part.tracking == "serial" and part.quantity != 1:
                raise ValidationError(
                    _(
                        "A serial-tracked part is used one at a time (%(product)s).",
                        product=part.product_id.display_name,
                    )
                )

    def write(self, vals):
        if self.filtered("move_id"):
            raise UserError(
                _("Parts already issued to the customer cannot be changed.")
            )
        return super().write(vals)

    def unlink(self):
        if self.filtered("move_id"):
            raise UserError(
                _("Parts already issued to the customer cannot be removed.")
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Issue: one picking per source warehouse, validated at once
    # ------------------------------------------------------------------

    def _issue_parts(self):
        to_issue = self.filtered(lambda p: not p.move_id)
        if not to_issue:
            return
        to_issue._check_availability()
        groups = defaultdict(lambda: self.browse())
        for part in to_issue:
            groups[part.visit_id, part._picking_type()] |= part
        for (visit, picking_type), parts in groups.items():
            parts._create_picking(visit, picking_type)

    def _picking_type(self):
        self.ensure_one()
        warehouse = self.location_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        if not warehouse.out_type_id:
            raise UserError(
                _(
                    "No delivery operation type to issue %(part)s.",
                    part=self.product_id.display_name,
                )
            )
        return warehouse.out_type_id

    def _check_availability(self):
        quants = self.env["stock.quant"].sudo()
        for part in self.filtered(lambda p: p.product_id.is_storable):
            if part.tracking != "none" and not part.lot_id:
                raise UserError(
                    _(
                        "Choose the lot/serial of %(product)s used on %(visit)s.",
                        product=part.product_id.display_name,
                        visit=part.visit_id.name,
                    )
                )
            available = quants._get_available_quantity(
                part.product_id,
                part.location_id,
                lot_id=part.lot_id or None,
                strict=False,
            )
            if (
                float_compare(
                    available,
                    part.quantity,
                    precision_rounding=part.product_uom_id.rounding,
                )
                < 0
            ):
                raise UserError(
                    _(
                        "Only %(available)s %(uom)s of %(product)s are available in "
                        "%(location)s.",
                        available=available,
                        uom=part.product_uom_id.name,
                        product=part.product_id.display_name,
                        location=part.location_id.display_name,
                    )
                )

    def _create_picking(self, visit, picking_type):
        ticket = visit.ticket_id
        customer_location = ticket.partner_id.property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )
        sale_lines = self._sale_lines_for_parts(ticket)
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": ticket.partner_id.id,
                    "location_id": self[0].location_id.id,
                    "location_dest_id": customer_location.id,
                    "origin": f"{ticket.name} / {visit.name}",
                    "aftersales_visit_id": visit.id,
                    "company_id": visit.company_id.id,
                }
            )
        )
        for part in self:
            move = (
                self.env["stock.move"]
                .sudo()
                .create(
                    {
                        "name": part.product_id.display_name,
                        "picking_id": picking.id,
                        "product_id": part.product_id.id,
                        "product_uom": part.product_uom_id.id,
                        "product_uom_qty": part.quantity,
                        "location_id": part.location_id.id,
                        "location_dest_id": customer_location.id,
                        "partner_id": ticket.partner_id.id,
                        "sale_line_id": sale_lines.get(
                            part.id, self.env["sale.order.line"]
                        ).id,
                        "company_id": visit.company_id.id,
                    }
                )
            )
            super(AftersalesVisitPart, part).write(
                {"move_id": move.id, "sale_line_id": move.sale_line_id.id}
            )
        picking.action_confirm()
        for part in self:
            move = part.move_id
            move.move_line_ids.unlink()
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "picking_id": picking.id,
                                "product_id": part.product_id.id,
                                "product_uom_id": part.product_uom_id.id,
                                "quantity": part.quantity,
                                "lot_id": part.lot_id.id,
                                "location_id": part.location_id.id,
                                "location_dest_id": customer_location.id,
                            }
                        )
                    ],
                    "picked": True,
                }
            )
        picking._action_done()
        if picking.state != "done":
            raise UserError(
                _("The parts of %(visit)s could not be issued.", visit=visit.name)
            )
        return picking

    def _sale_lines_for_parts(self, ticket):
        """Quotation lines that the parts deliver: an existing line of the same
        product on the ticket's accepted quotation, else a new line on it."""
        order = ticket._aftersales_accepted_order()
        if not order:
            return {}
        result = {}
        lines = order.order_line.filtered(
            lambda line: line.aftersales_cost_kind == "parts"
        )
        new_vals = []
        new_parts = []
        for part in self:
            line = lines.filtered(lambda line, p=part: line.product_id == p.product_id)[
                :1
            ]
            if line:
                result[part.id] = line
            else:
                new_vals.append(
                    {
                        "order_id": order.id,
                        "product_id": part.product_id.id,
                        "product_uom_qty": part.quantity,
                        "product_uom": part.product_uom_id.id,
                    }
                )
                new_parts.append(part)
        if new_vals:
            created = self.env["sale.order.line"].sudo().create(new_vals)
            for part, line in zip(new_parts, created, strict=True):
                result[part.id] = line
        return result
