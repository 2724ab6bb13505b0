from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

# 旧件处理: 返厂 / 暂存当地仓库 / 就地销毁.
DISPOSITIONS = [
    ("return", "Return to Supplier"),
    ("hold", "Hold Locally"),
    ("scrap", "Scrap on Site"),
]
DISPOSITION_STATES = [
    ("pending", "To Process"),
    ("held", "Held Locally"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped"),
]


class AftersalesWarrantyClaimPart(models.Model):
    """A part replaced under warranty, its cost and what becomes of the failed one."""

    _name = "aftersales.warranty.claim.part"
    _description = "Warranty Claim Part"
    _order = "claim_id, id"
    _check_company_auto = True

    claim_id = fields.Many2one(
        "aftersales.warranty.claim", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        check_company=True,
        index=True,
    )
    default_code = fields.Char(related="product_id.default_code", string="Part Number")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial of New Part",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    unit_cost = fields.Monetary(
        compute="_compute_unit_cost",
        store=True,
        readonly=False,
        precompute=True,
        help="Cost of the part as it left stock for the job.",
    )
    cost = fields.Monetary(compute="_compute_cost", store=True)
    old_part_serial = fields.Char(
        string="Failed Part Serial",
        compute="_compute_old_part_serial",
        store=True,
        readonly=False,
        precompute=True,
    )
    disposition = fields.Selection(
        DISPOSITIONS,
        string="Old Part Disposition",
        help="Return to the factory or supplier, hold in the local warehouse for "
        "inspection, or scrap on site. Each is carried out as a stock operation.",
    )
    disposition_state = fields.Selection(
        DISPOSITION_STATES,
        string="Old Part Status",
        default="pending",
        required=True,
        readonly=True,
        copy=False,
    )
    hold_location_id = fields.Many2one(
        "stock.location", string="Held At", readonly=True, copy=False
    )
    hold_deadline = fields.Date(readonly=True, copy=False)
    hold_picking_id = fields.Many2one(
        "stock.picking", string="Hold Transfer", readonly=True, copy=False
    )
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return Transfer", readonly=True, copy=False
    )
    scrap_id = fields.Many2one("stock.scrap", string="Scrap", readonly=True, copy=False)
    # Analysis
    state = fields.Selection(related="claim_id.state", store=True)
    date = fields.Date(related="claim_id.date", store=True)
    supplier_id = fields.Many2one(related="claim_id.supplier_id", store=True)
    responsibility = fields.Selection(related="claim_id.responsibility", store=True)
    failure_type = fields.Selection(related="claim_id.failure_type", store=True)
    user_id = fields.Many2one(
        related="claim_id.user_id", string="Technician", store=True
    )
    unit_product_id = fields.Many2one(
        related="claim_id.product_id", string="Product Repaired", store=True
    )

    @api.depends("product_id", "claim_id.ticket_id")
    def _compute_unit_cost(self):
        for ticket, parts in self.grouped(lambda p: p.claim_id.ticket_id).items():
            used = ticket._aftersales_used_parts()
            for part in parts.filtered("product_id"):
                moves = self.env["stock.move"].union(
                    *[
                        use["move"]
                        for use in used
                        if use["product"] == part.product_id and use["move"]
                    ]
                )
                part.unit_cost = moves._aftersales_unit_cost(part.product_id)

    @api.depends("quantity", "unit_cost")
    def _compute_cost(self):
        for part in self:
            currency = part.currency_id or self.env.company.currency_id
            part.cost = currency.round(part.quantity * part.unit_cost)

    @api.depends("product_id", "lot_id", "claim_id.ticket_id")
    def _compute_old_part_serial(self):
        for ticket, parts in self.grouped(lambda p: p.claim_id.ticket_id).items():
            used = ticket._aftersales_used_parts()
            for part in parts:
                if part.old_part_serial or not part.product_id:
                    continue
                for use in used:
                    if use["product"] == part.product_id and use["old_part_serial"]:
                        part.old_part_serial = use["old_part_serial"]
                        break

    # ------------------------------------------------------------------
    # What was used on the job bounds what is claimed
    # ------------------------------------------------------------------

    @api.constrains("product_id", "lot_id", "quantity", "claim_id")
    def _check_used_on_job(self):
        for part in self:
            if float_compare(part.quantity, 0.0, precision_digits=6) <= 0:
                raise ValidationError(_("A claimed part quantity must be positive."))
            if part.unit_cost < 0:
                raise ValidationError(_("A part cost cannot be negative."))
        for ticket, parts in self.grouped(lambda p: p.claim_id.ticket_id).items():
            used_qty = defaultdict(float)
            used_lot_qty = defaultdict(float)
            for use in ticket._aftersales_used_parts():
                used_qty[use["product"]] += use["quantity"]
                if use["lot"]:
                    used_lot_qty[use["product"], use["lot"]] += use["quantity"]
            claimed = ticket.claim_ids.filtered(
                lambda c: c.state != "rejected"
            ).part_ids
            for part in parts:
                product = part.product_id
                if product not in used_qty:
                    raise ValidationError(
                        _(
                            "%(part)s was not used on the completed jobs of ticket "
                            "%(ticket)s: only parts issued on its visits or repairs "
                            "can be claimed.",
                            part=product.display_name,
                            ticket=ticket.name,
                        )
                    )
                if part.lot_id and (product, part.lot_id) not in used_lot_qty:
                    raise ValidationError(
                        _(
                            "Lot %(lot)s of %(part)s was not used on ticket "
                            "%(ticket)s.",
                            lot=part.lot_id.name,
                            part=product.display_name,
                            ticket=ticket.name,
                        )
                    )
                total = sum(
                    claimed.filtered(lambda p, pr=product: p.product_id == pr).mapped(
                        "quantity"
                    )
                )
                if (
                    float_compare(
                        total,
                        used_qty[product],
                        precision_rounding=product.uom_id.rounding,
                    )
                    > 0
                ):
                    raise ValidationError(
                        _(
                            "%(claimed)s %(uom)s of %(part)s are claimed on ticket "
                            "%(ticket)s, but only %(used)s were used on its jobs.",
                            claimed=total,
                            uom=product.uom_id.name,
                            part=product.display_name,
                            ticket=ticket.name,
                            used=used_qty[product],
                        )
                    )

    def write(self, vals):
        if not self.env.context.get("aftersales_claim_flow"):
            locked = self.filtered(
                lambda p: p.claim_id.state in ("approved", "settled")
            )
            if locked and set(vals) - {"disposition"}:
                raise UserError(
                    _(
                        "The parts of approved claim %(claim)s can no longer change.",
                        claim=locked[0].claim_id.name,
                    )
                )
            if "disposition" in vals and self.filtered(
                lambda p: p.disposition_state in ("returned", "scrapped")
            ):
                raise UserError(
                    _("A failed part already returned or scrapped cannot be moved.")
                )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        locked = parts.filtered(lambda p: p.claim_id.state in ("approved", "settled"))
        if locked:
            raise UserError(
                _(
                    "The parts of approved claim %(claim)s can no longer change.",
                    claim=locked[0].claim_id.name,
                )
            )
        return parts

    def unlink(self):
        if self.filtered(
            lambda p: p.claim_id.state in ("approved", "settled")
            or p.disposition_state != "pending"
        ):
            raise UserError(
                _("Parts of an approved claim or already moved cannot be removed.")
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Old part disposition, as stock operations
    # ------------------------------------------------------------------

    def _disposition_pending(self):
        self.ensure_one()
        return bool(self.disposition) and (
            self.disposition_state == "pending"
            or (self.disposition_state == "held" and self.disposition != "hold")
        )

    def action_apply_disposition(self):
        for part in self:
            if not part.disposition:
                raise UserError(
                    _(
                        "Choose what becomes of the failed %(part)s first.",
                        part=part.product_id.display_name,
                    )
                )
            if not part._disposition_pending():
                raise UserError(
                    _(
                        "The failed %(part)s is already %(state)s.",
                        part=part.product_id.display_name,
                        state=dict(
                            self._fields["disposition_state"]._description_selection(
                                self.env
                            )
                        )[part.disposition_state],
                    )
                )
            if part.claim_id.state == "rejected" and part.disposition == "return":
                raise UserError(
                    _("The parts of a rejected claim are not returned to a supplier.")
                )
            getattr(part, f"_dispose_{part.disposition}")()
        return True

    def _old_part_location(self):
        """Where the failed part is now: held at ours, or still at the customer's."""
        self.ensure_one()
        if self.disposition_state == "held":
            return self.hold_location_id
        partner = self.claim_id.partner_id
        return partner.property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )

    def _warehouse(self):
        self.ensure_one()
        for use in self.claim_id.ticket_id._aftersales_used_parts():
            if use["product"] == self.product_id and use["move"]:
                warehouse = use["move"].location_id.warehouse_id
                if warehouse:
                    return warehouse
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def _failed_lot(self):
        """The lot of the failed part, found or recorded from its serial."""
        self.ensure_one()
        if self.product_id.tracking == "none":
            return self.env["stock.lot"]
        serial = (self.old_part_serial or "").strip()
        if not serial:
            raise UserError(
                _(
                    "Enter the serial number of the failed %(part)s to move it.",
                    part=self.product_id.display_name,
                )
            )
        Lot = self.env["stock.lot"].sudo()
        domain = [
            ("name", "=", serial),
            ("product_id", "=", self.product_id.id),
            ("company_id", "in", [self.company_id.id, False]),
        ]
        return Lot.search(domain, limit=1) or Lot.create(
            {
                "name": serial,
                "product_id": self.product_id.id,
                "company_id": self.company_id.id,
            }
        )

    def _transfer(self, picking_type, destination, partner):
        """One validated transfer of the failed part to its destination."""
        self.ensure_one()
        source = self._old_part_location()
        lot = self._failed_lot()
        claim = self.claim_id
        uom = self.product_id.uom_id
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": partner.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "origin": claim.name,
                    "company_id": claim.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": _(
                                    "Failed part of %(claim)s: %(part)s",
                                    claim=claim.name,
                                    part=self.product_id.display_name,
                                ),
                                "product_id": self.product_id.id,
                                "product_uom": uom.id,
                                "product_uom_qty": self.quantity,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                "company_id": claim.company_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        move.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "picking_id": picking.id,
                            "product_id": self.product_id.id,
                            "product_uom_id": uom.id,
                            "quantity": self.quantity,
                            "lot_id": lot.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
                "picked": True,
            }
        )
        picking._action_done()
        if picking.state != "done":
            raise UserError(
                _(
                    "The failed %(part)s of %(claim)s could not be moved.",
                    part=self.product_id.display_name,
                    claim=claim.name,
                )
            )
        return picking

    def _dispose_hold(self):
        company = self.company_id
        warehouse = self._warehouse()
        location = company.aftersales_claim_hold_location_id
        if not location:
            warehouse._aftersales_ensure_hold_location()
            location = warehouse.aftersales_hold_location_id
        picking = self._transfer(
            warehouse.in_type_id, location, self.claim_id.partner_id
        )
        deadline = fields.Date.add(
            fields.Date.context_today(self), days=company.aftersales_claim_hold_days
        )
        self._flow_write(
            {
                "disposition_state": "held",
                "hold_location_id": location.id,
                "hold_deadline": deadline,
                "hold_picking_id": picking.id,
            }
        )
        claim = self.claim_id
        claim.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=deadline,
            summary=_("Return or scrap the held %(part)s", part=self.product_id.name),
            user_id=(claim.user_id or self.env.user).id,
        )

    def _dispose_return(self):
        claim = self.claim_id
        supplier = claim.supplier_id
        if not supplier:
            raise UserError(
                _(
                    "Claim %(claim)s names no supplier to return the failed part to.",
                    claim=claim.name,
                )
            )
        destination = supplier.property_stock_supplier or self.env.ref(
            "stock.stock_location_suppliers"
        )
        picking = self._transfer(self._warehouse().out_type_id, destination, supplier)
        self._flow_write(
            {"disposition_state": "returned", "return_picking_id": picking.id}
        )

    def _dispose_scrap(self):
        scrap = (
            self.env["stock.scrap"]
            .sudo()
            .create(
                {
                    "product_id": self.product_id.id,
                    "product_uom_id": self.product_id.uom_id.id,
                    "scrap_qty": self.quantity,
                    "lot_id": self._failed_lot().id,
                    "location_id": self._old_part_location().id,
                    "origin": self.claim_id.name,
                    "company_id": self.company_id.id,
                }
            )
        )
        scrap.do_scrap()
        self._flow_write({"disposition_state": "scrapped", "scrap_id": scrap.id})

    def _flow_write(self, values):
        self.with_context(aftersales_claim_flow=True).write(values)
        self.claim_id._message_log(
            body=_(
                "Failed %(part)s: %(state)s.",
                part=self.product_id.display_name,
                state=dict(
                    self._fields["disposition_state"]._description_selection(self.env)
                )[self.disposition_state],
            ),
        )
