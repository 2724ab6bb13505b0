from collections import defaultdict

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

from .aftersales_ticket_warranty import RESPONSIBILITIES

OUTCOMES = [
    ("refund", "Refund"),
    ("exchange_same", "Exchange for the Same Product"),
    ("exchange_other", "Exchange for Another Product"),
    ("repair", "Repair and Send Back"),
    ("none", "None"),
]
STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("receiving", "Receiving"),
    ("received", "Goods Received"),
    ("inspected", "Inspected"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
INSPECTION_RESULTS = [
    ("defect_confirmed", "Defect Confirmed"),
    ("not_confirmed", "Defect Not Confirmed"),
    ("customer_damage", "Damaged by the Customer"),
]
RESPONSIBILITY_BY_RESULT = {
    "defect_confirmed": "company",
    "not_confirmed": "undetermined",
    "customer_damage": "customer",
}
DISPOSITIONS = [
    ("stock", "Back to Stock"),
    ("repair", "To Repair"),
    ("scrap", "Scrap"),
    ("vendor", "Return to Vendor"),
]
DEPARTMENTS = [
    ("production", "Production"),
    ("quality", "Quality"),
    ("technical", "Technical"),
    ("purchasing", "Purchasing / Supplier"),
    ("warehouse", "Warehouse"),
    ("logistics", "Logistics"),
    ("sales", "Sales"),
    ("service", "After-Sales Service"),
    ("customer", "Customer"),
]
# Receipts of these outcomes lower the order's delivered quantity, as Odoo's own
# returns do when "update quantities on SO" is ticked.
REFUNDED_OUTCOMES = ("refund", "exchange_same")
USER_GROUP = "aftersales_service.group_aftersales_user"
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"


class AftersalesReturnLine(models.Model):
    """One product a customer sends back on a ticket, and everything done with it:
    approval, receipt into quarantine, inspection, disposition and the refund or
    exchange. Goods move through pickings, money through credit notes and sale
    order lines; the line links them and keeps the quantities right."""

    _name = "aftersales.return.line"
    _description = "Return Line"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True
    _rec_name = "product_id"

    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    # Not stored: lets the team overview count lines per team in one grouped query.
    team_id = fields.Many2one(related="ticket_id.team_id", string="Team")
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="ticket_id.partner_id.commercial_partner_id",
        store=True,
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sold On",
        required=True,
        index=True,
        check_company=True,
        domain="[('id', 'in', returnable_sale_line_ids)]",
        help="The sale order line that delivered the goods to this customer.",
    )
    returnable_sale_line_ids = fields.Many2many(
        "sale.order.line",
        compute="_compute_returnable_choices",
        string="Returnable Sale Lines",
    )
    returnable_lot_ids = fields.Many2many(
        "stock.lot", compute="_compute_returnable_choices", string="Returnable Serials"
    )
    returnable_qty = fields.Float(
        compute="_compute_returnable_choices",
        digits="Product Unit of Measure",
        string="Returnable",
        help="What was delivered on this sale line (and serial) and not yet "
        "returned, other lines of this return apart, in the unit of the return.",
    )
    order_id = fields.Many2one(related="sale_line_id.order_id", store=True)
    currency_id = fields.Many2one(related="sale_line_id.currency_id")
    product_id = fields.Many2one(
        related="sale_line_id.product_id", store=True, index=True, string="Product"
    )
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('id', 'in', returnable_lot_ids)]",
    )
    quantity = fields.Float(
        digits="Product Unit of Measure", required=True, default=1.0
    )
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    reason_id = fields.Many2one(
        "aftersales.return.reason",
        string="Reason",
        required=True,
        check_company=True,
    )
    outcome = fields.Selection(
        OUTCOMES,
        string="Requested Outcome",
        compute="_compute_outcome",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    exchange_product_id = fields.Many2one(
        "product.product",
        string="Replacement Product",
        check_company=True,
        domain="[('type', '=', 'consu')]",
        help="For an exchange for another product.",
    )
    no_return = fields.Boolean(
        string="Refund Without Return",
        help="The customer keeps the goods; only allowed when the After-Sales "
        "settings allow refunds without return.",
    )
    state = fields.Selection(
        STATES, default="draft", required=True, copy=False, index=True, readonly=True
    )
    amount = fields.Monetary(
        compute="_compute_amount", currency_field="currency_id", string="Value"
    )
    delivery_date = fields.Date(compute="_compute_window", string="Delivered On")
    window_until = fields.Date(compute="_compute_window")
    in_window = fields.Boolean(compute="_compute_window", string="Within 三包 Window")
    needs_approval = fields.Boolean(compute="_compute_window")
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)

    move_ids = fields.One2many(
        "stock.move", "aftersales_return_line_id", string="Stock Moves"
    )
    qty_received = fields.Float(
        compute="_compute_qty_received",
        store=True,
        digits="Product Unit of Measure",
        string="Received Qty",
    )

    inspection_result = fields.Selection(INSPECTION_RESULTS, copy=False)
    inspection_note = fields.Text(copy=False)
    inspection_uid = fields.Many2one("res.users", string="Inspected By", readonly=True)
    inspection_date = fields.Datetime(string="Inspected On", readonly=True)
    responsibility = fields.Selection(
        RESPONSIBILITIES,
        compute="_compute_responsibility",
        store=True,
        readonly=False,
        default="undetermined",
        required=True,
    )
    root_cause = fields.Text()
    department = fields.Selection(DEPARTMENTS, string="Responsible Department")

    disposition = fields.Selection(DISPOSITIONS, copy=False)
    vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        check_company=True,
        help="Who takes the goods back on a return to vendor; by default the "
        "product's first vendor.",
    )
    disposition_picking_id = fields.Many2one(
        "stock.picking", string="Disposition Transfer", readonly=True, copy=False
    )
    repair_id = fields.Many2one(
        "repair.order", string="Repair Order", readonly=True, copy=False
    )
    scrap_id = fields.Many2one("stock.scrap", string="Scrap", readonly=True, copy=False)
    disposition_done = fields.Boolean(readonly=True, copy=False)
    replacement_picking_id = fields.Many2one(
        "stock.picking", string="Replacement Delivery", readonly=True, copy=False
    )
    difference_sale_line_id = fields.Many2one(
        "sale.order.line", string="Price Difference Line", readonly=True, copy=False
    )
    send_back_picking_id = fields.Many2one(
        "stock.picking", string="Send-Back Delivery", readonly=True, copy=False
    )
    refund_line_ids = fields.One2many(
        "account.move.line", "aftersales_return_line_id", string="Credit Note Lines"
    )
    qty_refunded = fields.Float(
        compute="_compute_qty_refunded",
        store=True,
        digits="Product Unit of Measure",
        string="Refunded",
    )
    amount_refunded = fields.Monetary(
        compute="_compute_qty_refunded",
        store=True,
        currency_field="currency_id",
        string="Refunded Amount",
        help="Untaxed amount of the credit note lines of this return.",
    )

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The quantity to return must be positive.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("sale_line_id")
    def _compute_uom_id(self):
        for line in self:
            line.uom_id = line.sale_line_id.product_uom or line.uom_id

    @api.depends("reason_id")
    def _compute_outcome(self):
        for line in self:
            line.outcome = line.reason_id.default_outcome or line.outcome or "refund"

    @api.depends("quantity", "uom_id", "sale_line_id")
    def _compute_amount(self):
        for line in self:
            sol = line.sale_line_id
            qty = (
                line.uom_id._compute_quantity(line.quantity, sol.product_uom)
                if (line.uom_id and sol.product_uom)
                else line.quantity
            )
            line.amount = qty * sol.price_unit * (1 - (sol.discount or 0.0) / 100.0)

    @api.depends("inspection_result")
    def _compute_responsibility(self):
        for line in self:
            if line.inspection_result:
                line.responsibility = RESPONSIBILITY_BY_RESULT[line.inspection_result]
            elif not line.responsibility:
                line.responsibility = "undetermined"

    @api.depends(
        "move_ids.state", "move_ids.quantity", "move_ids.product_uom", "uom_id"
    )
    def _compute_qty_received(self):
        for line in self:
            line.qty_received = sum(
                move.product_uom._compute_quantity(move.quantity, line.uom_id)
                for move in line._receipt_moves()
                if move.state == "done"
            )

    @api.depends(
        "refund_line_ids.quantity",
        "refund_line_ids.product_uom_id",
        "refund_line_ids.parent_state",
        "refund_line_ids.price_subtotal",
        "uom_id",
    )
    def _compute_qty_refunded(self):
        for line in self:
            refunds = line.refund_line_ids.filtered(
                lambda aml: aml.parent_state != "cancel"
            )
            line.qty_refunded = sum(
                aml.product_uom_id._compute_quantity(aml.quantity, line.uom_id)
                for aml in refunds
            )
            line.amount_refunded = sum(refunds.mapped("price_subtotal"))

    def _origin_move_lines(self):
        """Done move lines that delivered this line's goods to the customer."""
        self.ensure_one()
        return self.sale_line_id.sudo().move_ids.move_line_ids.filtered(
            lambda ml: ml.state == "done"
            and ml.location_dest_id.usage == "customer"
            and ml.location_id.usage != "customer"
            and (not self.lot_id or ml.lot_id == self.lot_id)
        )

    @api.depends(
        "sale_line_id",
        "lot_id",
        "outcome",
        "reason_id",
        "amount",
        "ticket_id.date_received",
    )
    def _compute_window(self):
        policies = {}
        for company, lines in self.grouped("company_id").items():
            policies.update(
                self.env["aftersales.warranty.policy"]._policy_for_products(
                    lines.product_id, company
                )
            )
        for line in self:
            company = line.company_id or self.env.company
            done = line._origin_move_lines() if line.sale_line_id else False
            delivered = done and max(done.mapped("date"))
            line.delivery_date = delivered and fields.Date.context_today(
                line.with_context(tz=company._aftersales_tz()), delivered
            )
            line.window_until = line._window_end(
                line.delivery_date, policies.get(line.product_id.id), company
            )
            received = (
                line.ticket_id.date_received
                and line.ticket_id._received_day()
                or fields.Date.context_today(line)
            )
            line.in_window = bool(line.window_until and received <= line.window_until)
            limit = company.aftersales_return_approval_amount
            line.needs_approval = not line.in_window or (
                limit > 0
                and float_compare(
                    line.sale_line_id.currency_id._convert(
                        line.amount,
                        company.currency_id,
                        company,
                        fields.Date.context_today(line),
                    )
                    if line.sale_line_id.currency_id
                    else line.amount,
                    limit,
                    precision_digits=2,
                )
                > 0
            )

    def _window_end(self, delivery_date, policy, company):
        """Last day of the 三包 window that applies to the requested outcome."""
        if not delivery_date:
            return False
        return_days = policy.return_days if policy else company.aftersales_return_days
        exchange_days = (
            policy.exchange_days if policy else company.aftersales_exchange_days
        )
        if self.outcome in ("exchange_same", "exchange_other"):
            end = delivery_date + relativedelta(days=exchange_days)
        elif self.outcome == "repair":
            end = (
                policy._end_date(delivery_date)
                if policy
                else delivery_date + relativedelta(days=exchange_days)
            )
        else:
            end = delivery_date + relativedelta(days=return_days)
        if self.reason_id.is_quality:
            quality_end = delivery_date + relativedelta(
                months=company.aftersales_quality_return_months
            )
            end = max(end, quality_end)
        return end

    # ------------------------------------------------------------------
    # Returnable quantities
    # ------------------------------------------------------------------

    def _receipt_moves(self):
        return self.move_ids.filtered(
            lambda m: m.location_id.usage == "customer"
            and m.location_dest_id.usage == "internal"
        )

    def _committed_qty(self):
        """Quantity (product unit) this line holds against what was delivered."""
        self.ensure_one()
        if self.state == "cancel":
            return 0.0
        receipt = self._receipt_moves().filtered(lambda m: m.state != "cancel")
        if receipt:
            return sum(
                m.product_uom._compute_quantity(
                    m.quantity if m.state == "done" else m.product_uom_qty,
                    m.product_id.uom_id,
                )
                for m in receipt
            )
        return self.uom_id._compute_quantity(self.quantity, self.product_id.uom_id)

    @api.model
    def _returnable_quantities(self, sale_lines, exclude=None):
        """{(sale line id, lot id or False): [delivered, returned]} in product
        units, over every ticket and Odoo's own returns; ``exclude`` lines are
        left out of what was already returned."""
        result = defaultdict(lambda: [0.0, 0.0])
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("move_id.sale_line_id", "in", sale_lines.ids),
                    ("state", "=", "done"),
                    "|",
                    ("location_dest_id.usage", "=", "customer"),
                    ("location_id.usage", "=", "customer"),
                ]
            )
        )
        for ml in move_lines:
            sol_id = ml.move_id.sale_line_id.id
            if ml.location_dest_id.usage == "customer":
                if ml.location_id.usage == "customer":
                    continue
                index = 0
            elif ml.move_id.aftersales_return_line_id:
                continue  # counted through its return line below
            else:
                index = 1
            result[(sol_id, False)][index] += ml.quantity_product_uom
            if ml.lot_id:
                result[(sol_id, ml.lot_id.id)][index] += ml.quantity_product_uom
        others = self.sudo().search(
            [
                ("sale_line_id", "in", sale_lines.ids),
                ("state", "!=", "cancel"),
                ("id", "not in", (exclude or self.browse()).ids),
            ]
        )
        for other in others:
            qty = other._committed_qty()
            result[(other.sale_line_id.id, False)][1] += qty
            if other.lot_id:
                result[(other.sale_line_id.id, other.lot_id.id)][1] += qty
        return result

    @api.model
    def _returnable_sale_lines(self, customer):
        """Sale lines that delivered goods to this customer (read as superuser:
        service staff need not be sales users)."""
        if not customer:
            return self.env["sale.order.line"]
        return (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.partner_id", "child_of", customer.id),
                    ("order_id.state", "=", "sale"),
                    ("display_type", "=", False),
                    ("qty_delivered", ">", 0),
                ]
            )
        )

    @api.depends(
        "commercial_partner_id", "sale_line_id", "lot_id", "uom_id", "company_id"
    )
    def _compute_returnable_choices(self):
        """What this customer can still return, so that only that is offered."""
        for line in self:
            customer = line.ticket_id.partner_id.commercial_partner_id
            sale_lines = self._returnable_sale_lines(customer)
            if line.company_id:
                sale_lines = sale_lines.filtered(
                    lambda sol, line=line: sol.company_id == line.company_id
                )
            quantities = self._returnable_quantities(
                sale_lines | line.sale_line_id.sudo(), exclude=line._origin
            )

            def left(key, quantities=quantities):
                delivered, returned = quantities.get(key, (0.0, 0.0))
                return delivered - returned

            line.returnable_sale_line_ids = sale_lines.filtered(
                lambda sol, left=left: left((sol.id, False)) > 0
            )
            lot_ids = {
                lot_id
                for (sol_id, lot_id), (delivered, returned) in quantities.items()
                if lot_id
                and delivered - returned > 0
                and sol_id in (line.sale_line_id.ids or sale_lines.ids)
            }
            line.returnable_lot_ids = self.env["stock.lot"].browse(sorted(lot_ids))
            qty = line.sale_line_id and left((line.sale_line_id.id, line.lot_id.id))
            product_uom = line.product_id.uom_id
            if (
                qty
                and line.uom_id
                and line.uom_id.category_id == product_uom.category_id
            ):
                qty = product_uom._compute_quantity(qty, line.uom_id, round=False)
            line.returnable_qty = max(qty or 0.0, 0.0)

    @api.model
    def default_get(self, fields_list):
        """A new line on a ticket proposes the ticket's own sale line and serial,
        when they can still be returned."""
        values = super().default_get(fields_list)
        sale_line = (
            self.env["sale.order.line"]
            .browse(self.env.context.get("aftersales_ticket_sale_line_id"))
            .exists()
        )
        if (
            not sale_line
            or "sale_line_id" not in fields_list
            or values.get("sale_line_id")
        ):
            return values
        lot = self.env["stock.lot"].browse(
            self.env.context.get("aftersales_ticket_lot_id")
        )
        if lot.product_id != sale_line.product_id:
            lot = self.env["stock.lot"]
        quantities = self._returnable_quantities(sale_line)
        delivered, returned = quantities.get((sale_line.id, lot.id), (0.0, 0.0))
        if delivered - returned <= 0:
            return values
        values["sale_line_id"] = sale_line.id
        if lot and "lot_id" in fields_list:
            values["lot_id"] = lot.id
        return values

    def _lot_returnable(self):
        # In a form, the choices of a new line are new records: compare origins.
        return self.lot_id._origin in self.returnable_lot_ids._origin

    @api.onchange("sale_line_id")
    def _onchange_sale_line_id_lot(self):
        if self.lot_id and not self._lot_returnable():
            self.lot_id = False

    @api.onchange("sale_line_id", "lot_id", "quantity")
    def _onchange_serial_quantity(self):
        # A serial number is one unit: nothing else can be returned under it.
        if self.product_tracking == "serial" and self.quantity != 1.0:
            self.quantity = 1.0

    @api.onchange("sale_line_id", "lot_id", "quantity", "uom_id")
    def _onchange_returnable_warning(self):
        """Say what is wrong with the choice now, not only when saving."""
        if not self.sale_line_id:
            return None
        message = False
        if self.lot_id and not self._lot_returnable():
            message = _(
                "%(lot)s was not delivered on %(order)s, or was already returned.",
                lot=self.lot_id.name,
                order=self.sale_line_id.order_id.name,
            )
        elif (
            self.quantity
            and float_compare(
                self.quantity,
                self.returnable_qty,
                precision_rounding=(self.uom_id or self.product_id.uom_id).rounding,
            )
            > 0
        ):
            message = _(
                "At most %(returnable)s %(uom)s of %(product)s%(lot)s can still be "
                "returned from %(order)s.",
                returnable=self.returnable_qty,
                uom=(self.uom_id or self.product_id.uom_id).name,
                product=self.product_id.display_name,
                lot=f" ({self.lot_id.name})" if self.lot_id else "",
                order=self.sale_line_id.order_id.name,
            )
        if not message:
            return None
        return {"warning": {"title": _("Cannot be returned"), "message": message}}

    @api.constrains("quantity", "uom_id", "sale_line_id", "lot_id", "state")
    def _check_returnable(self):
        lines = self.filtered(lambda line: line.state != "cancel")
        if not lines:
            return
        quantities = self._returnable_quantities(lines.sale_line_id, exclude=lines)
        taken = defaultdict(float)
        for line in lines:
            line._check_origin()
            qty = line._committed_qty()
            keys = [(line.sale_line_id.id, False)]
            if line.lot_id:
                keys.append((line.sale_line_id.id, line.lot_id.id))
            for key in keys:
                delivered, returned = quantities[key]
                returnable = delivered - returned - taken[key]
                lot_label = f" ({line.lot_id.name})" if line.lot_id else ""
                if (
                    float_compare(
                        qty,
                        returnable,
                        precision_rounding=line.product_id.uom_id.rounding,
                    )
                    > 0
                ):
                    raise ValidationError(
                        _(
                            "You cannot return %(qty)s %(uom)s of %(product)s%(lot)s "
                            "from %(order)s: %(delivered)s delivered, %(returned)s "
                            "already returned, so at most %(returnable)s %(uom)s "
                            "can be returned.",
                            qty=qty,
                            uom=line.product_id.uom_id.name,
                            product=line.product_id.display_name,
                            lot=lot_label,
                            order=line.sale_line_id.order_id.name,
                            delivered=delivered,
                            returned=returned + taken[key],
                            returnable=max(returnable, 0.0),
                        )
                    )
            taken[(line.sale_line_id.id, False)] += qty
            if line.lot_id:
                taken[(line.sale_line_id.id, line.lot_id.id)] += qty

    def _check_origin(self):
        """The goods come from this customer's orders; tracked goods name their lot."""
        self.ensure_one()
        partner = self.ticket_id.partner_id.commercial_partner_id
        if not partner:
            raise ValidationError(
                _(
                    "Choose the customer of ticket %(ticket)s before adding returns.",
                    ticket=self.ticket_id.name,
                )
            )
        if self.sale_line_id.order_id.partner_id.commercial_partner_id != partner:
            raise ValidationError(
                _(
                    "%(order)s was not sold to %(customer)s.",
                    order=self.sale_line_id.order_id.name,
                    customer=partner.display_name,
                )
            )
        if self.product_id.tracking != "none" and not self.lot_id:
            raise ValidationError(
                _(
                    "Give the lot/serial number of the returned %(product)s.",
                    product=self.product_id.display_name,
                )
            )
        if (
            self.product_id.tracking == "serial"
            and float_compare(
                self.quantity, 1.0, precision_rounding=self.uom_id.rounding
            )
            > 0
        ):
            raise ValidationError(_("A serial number is returned one unit at a time."))
        if self.uom_id.category_id != self.product_id.uom_id.category_id:
            raise ValidationError(
                _("The unit of a return must be of the same kind as the product's.")
            )

    @api.constrains("outcome", "exchange_product_id", "no_return")
    def _check_outcome(self):
        for line in self:
            if line.outcome == "exchange_other" and not line.exchange_product_id:
                raise ValidationError(
                    _(
                        "Choose the replacement product of %(product)s.",
                        product=line.product_id.display_name,
                    )
                )
            if line.no_return and line.outcome != "refund":
                raise ValidationError(_("Only a refund can be made without return."))
            if line.no_return and not line.company_id.aftersales_refund_without_return:
                raise ValidationError(
                    _(
                        "Refunds without return are not allowed "
                        "in the After-Sales settings."
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        locked = {
            "sale_line_id",
            "lot_id",
            "quantity",
            "uom_id",
            "outcome",
            "no_return",
        }
        if locked & set(vals):
            started = self.filtered(
                lambda line: line.state not in ("draft", "to_approve")
            )
            if started:
                raise UserError(
                    _(
                        "The return of %(product)s is already under way: its "
                        "product, quantity and outcome can no longer change.",
                        product=started[0].product_id.display_name,
                    )
                )
        if "inspection_result" in vals:
            if self.filtered(lambda line: line.state not in ("received", "inspected")):
                raise UserError(_("Goods are inspected once they are received."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        for line in self.filtered(
            lambda line: line.state not in ("draft", "to_approve", "cancel")
        ):
            raise UserError(
                _(
                    "The return of %(product)s on %(ticket)s is under way: cancel it "
                    "instead of deleting it.",
                    product=line.product_id.display_name,
                    ticket=line.ticket_id.name,
                )
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _check_group(self, xmlid, what):
        if not self.env.su and not self.env.user.has_group(xmlid):
            raise AccessError(_("You are not allowed to %(what)s.", what=what))

    def _lock_rows(self):
        """Lock the lines so two users cannot act on the same quantities at once."""
        if not self:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM aftersales_return_line WHERE id IN %s "
                        "FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
            raise UserError(
                _(
                    "Another user is working on these return lines right now. "
                    "Reload the ticket and try again."
                )
            ) from None
        self.invalidate_recordset()
        self.env["account.move.line"].invalidate_model(["aftersales_return_line_id"])
        self.env["stock.move"].invalidate_model(["aftersales_return_line_id", "state"])

    def _warehouse(self):
        self.ensure_one()
        return (
            self._origin_move_lines().move_id.warehouse_id[:1]
            or self.sale_line_id.order_id.warehouse_id
            or self.env["stock.warehouse"].search(
                [("company_id", "=", self.company_id.id)], limit=1
            )
        )

    def _quarantine(self):
        self.ensure_one()
        warehouse = self._warehouse()
        if not warehouse.aftersales_rma_location_id:
            warehouse.sudo()._create_missing_locations({})
        return warehouse.aftersales_rma_location_id

    def _move_values(self, product, qty, source, destination, **extra):
        self.ensure_one()
        return {
            "name": product.display_name,
            "product_id": product.id,
            "product_uom_qty": qty,
            "product_uom": self.uom_id.id
            if product == self.product_id
            else product.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "procure_method": "make_to_stock",
            "aftersales_return_line_id": self.id,
            **extra,
        }

    def _create_picking(
        self, picking_type, source, destination, partner, moves, group=False
    ):
        """A confirmed transfer of the ticket, lots pre-filled where known."""
        ticket = self.ticket_id[:1]
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id[:1])
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "partner_id": partner.id,
                    "origin": ticket.name,
                    "aftersales_ticket_id": ticket.id,
                    "group_id": group and group.id,
                    "company_id": self.company_id[:1].id,
                    "move_ids": [fields.Command.create(vals) for vals in moves],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        for move in picking.move_ids:
            lot = move.aftersales_return_line_id.lot_id
            if (
                lot
                and move.product_id == lot.product_id
                and source.usage == "customer"
                and len(move.move_line_ids) == 1
            ):
                move.move_line_ids.lot_id = lot
        return picking

    def _mark_done_when_complete(self):
        for line in self.filtered(lambda item: item.state in ("approved", "inspected")):
            rounding = line.uom_id.rounding
            if line.no_return:
                goods_done = True
            elif line.outcome == "repair":
                goods_done = bool(line.send_back_picking_id)
            else:
                goods_done = line.disposition_done
            if line.outcome == "refund":
                target = line.quantity if line.no_return else line.qty_received
                money_done = (
                    float_compare(
                        line.qty_refunded, target, precision_rounding=rounding
                    )
                    >= 0
                )
            elif line.outcome in ("exchange_same", "exchange_other"):
                money_done = bool(line.replacement_picking_id)
            else:
                money_done = True
            if goods_done and money_done:
                line.state = "done"

    # ------------------------------------------------------------------
    # Receipt
    # ------------------------------------------------------------------

    def _create_receipts(self):
        """One incoming transfer per order into the warehouse's quarantine, each move
        a return of the delivery move, linked to the sale line like Odoo's own
        return wizard does (so sale_stock lowers the delivered quantity)."""
        customer_location = self.env.ref("stock.stock_location_customers")
        pickings = self.env["stock.picking"]
        for (order, warehouse), lines in self.grouped(
            lambda line: (line.order_id, line._warehouse())
        ).items():
            quarantine = lines[0]._quarantine()
            moves = []
            for line in lines:
                origin = line._origin_move_lines().move_id.sorted("date")[-1:]
                moves.append(
                    line._move_values(
                        line.product_id,
                        line.quantity,
                        origin.location_dest_id or customer_location,
                        quarantine,
                        origin_returned_move_id=origin.id,
                        move_orig_ids=[fields.Command.link(origin.id)]
                        if origin
                        else [],
                        sale_line_id=line.sale_line_id.id,
                        to_refund=line.outcome in REFUNDED_OUTCOMES,
                        group_id=order.procurement_group_id.id,
                        partner_id=order.partner_shipping_id.id,
                        warehouse_id=warehouse.id,
                        picking_type_id=warehouse.in_type_id.id,
                    )
                )
            pickings |= lines._create_picking(
                warehouse.in_type_id,
                customer_location,
                quarantine,
                order.partner_shipping_id,
                moves,
                group=order.procurement_group_id,
            )
            lines.state = "receiving"
        return pickings

    def _sync_receipt_state(self):
        """Follow the receipt: received once nothing is left open; back to approved
        when the whole receipt was cancelled (it can be made again)."""
        for line in self.filtered(lambda item: item.state in ("receiving", "received")):
            receipt = line._receipt_moves()
            if receipt.filtered(lambda m: m.state not in ("done", "cancel")):
                line.state = "receiving"
            elif float_is_zero(
                line.qty_received, precision_rounding=line.uom_id.rounding
            ):
                line.state = "approved"
            else:
                line.state = "received"

    # ------------------------------------------------------------------
    # Inspection and disposition
    # ------------------------------------------------------------------

    def action_confirm_inspection(self):
        for line in self:
            if line.state != "received":
                raise UserError(
                    _(
                        "%(product)s is inspected once all its goods are received.",
                        product=line.product_id.display_name,
                    )
                )
            if not line.inspection_result:
                raise UserError(
                    _(
                        "Record the inspection result of %(product)s first.",
                        product=line.product_id.display_name,
                    )
                )
        self.write(
            {
                "state": "inspected",
                "inspection_uid": self.env.uid,
                "inspection_date": fields.Datetime.now(),
            }
        )
        for line in self:
            line.ticket_id._message_log(
                body=_(
                    "Return of %(product)s inspected: %(result)s.",
                    product=line.product_id.display_name,
                    result=dict(INSPECTION_RESULTS)[line.inspection_result],
                ),
            )
        return True

    def action_apply_disposition(self):
        self._lock_rows()
        for line in self:
            if line.state != "inspected" or line.disposition_done:
                raise UserError(
                    _(
                        "The disposition of %(product)s is decided once, "
                        "after inspection.",
                        product=line.product_id.display_name,
                    )
                )
            disposition = "repair" if line.outcome == "repair" else line.disposition
            if not disposition:
                raise UserError(
                    _(
                        "Choose what happens to the returned %(product)s.",
                        product=line.product_id.display_name,
                    )
                )
            getattr(line, f"_dispose_{disposition}")()
            line.write({"disposition": disposition, "disposition_done": True})
        self._mark_done_when_complete()
        return True

    def _dispose_stock(self):
        warehouse = self._warehouse()
        quarantine = self._quarantine()
        self.disposition_picking_id = self._create_picking(
            warehouse.int_type_id,
            quarantine,
            warehouse.lot_stock_id,
            self.env["res.partner"],
            [
                self._move_values(
                    self.product_id,
                    self.qty_received,
                    quarantine,
                    warehouse.lot_stock_id,
                )
            ],
        )
        self._prefill_lots(self.disposition_picking_id)

    def _dispose_vendor(self):
        vendor = self.vendor_id or self.product_id.seller_ids[:1].partner_id
        if not vendor:
            raise UserError(
                _(
                    "Choose the vendor who takes back %(product)s.",
                    product=self.product_id.display_name,
                )
            )
        warehouse = self._warehouse()
        quarantine = self._quarantine()
        supplier_location = self.env.ref("stock.stock_location_suppliers")
        self.vendor_id = vendor
        self.disposition_picking_id = self._create_picking(
            warehouse.out_type_id,
            quarantine,
            supplier_location,
            vendor,
            [
                self._move_values(
                    self.product_id,
                    self.qty_received,
                    quarantine,
                    supplier_location,
                    partner_id=vendor.id,
                )
            ],
        )
        self._prefill_lots(self.disposition_picking_id)

    def _dispose_scrap(self):
        scrap = (
            self.env["stock.scrap"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "product_id": self.product_id.id,
                    "product_uom_id": self.uom_id.id,
                    "scrap_qty": self.qty_received,
                    "lot_id": self.lot_id.id,
                    "location_id": self._quarantine().id,
                    "origin": self.ticket_id.name,
                    "company_id": self.company_id.id,
                }
            )
        )
        result = scrap.action_validate()
        if scrap.state != "done":
            raise UserError(
                _(
                    "%(product)s is not in the quarantine location any more: it cannot "
                    "be scrapped from there.",
                    product=self.product_id.display_name,
                )
            )
        self.scrap_id = scrap
        return result

    def _dispose_repair(self):
        """A repair order on the returned unit; repaired goods go to stock, or stay
        in quarantine to be sent back to the customer."""
        warehouse = self._warehouse()
        quarantine = self._quarantine()
        company = self.company_id
        start = fields.Datetime.now()
        calendar = company.resource_calendar_id
        deadline = (
            calendar.plan_days(company.aftersales_return_repair_days, start)
            if calendar
            else start + relativedelta(days=company.aftersales_return_repair_days)
        )
        picking_type = warehouse.repair_type_id or self.env[
            "stock.picking.type"
        ].search(
            [("code", "=", "repair_operation"), ("company_id", "=", company.id)],
            limit=1,
        )
        repair = (
            self.env["repair.order"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "product_id": self.product_id.id,
                    "product_qty": self.qty_received,
                    "product_uom": self.uom_id.id,
                    "lot_id": self.lot_id.id,
                    "partner_id": self.ticket_id.partner_id.id,
                    "picking_type_id": picking_type.id,
                    "product_location_src_id": quarantine.id,
                    "product_location_dest_id": (
                        quarantine.id
                        if self.outcome == "repair"
                        else warehouse.lot_stock_id.id
                    ),
                    "under_warranty": self.responsibility != "customer",
                    "schedule_date": deadline,
                    "internal_notes": self.inspection_note,
                    "aftersales_return_line_id": self.id,
                    "company_id": company.id,
                }
            )
        )
        repair.action_validate()
        self.repair_id = repair

    def _prefill_lots(self, picking):
        for move in picking.move_ids:
            line = move.aftersales_return_line_id
            if (
                line.lot_id
                and move.product_id == line.product_id
                and not move.move_line_ids
            ):
                move.write(
                    {
                        "move_line_ids": [
                            fields.Command.create(
                                {
                                    "product_id": move.product_id.id,
                                    "lot_id": line.lot_id.id,
                                    "quantity": move.product_uom_qty,
                                    "product_uom_id": move.product_uom.id,
                                    "location_id": move.location_id.id,
                                    "location_dest_id": move.location_dest_id.id,
                                    "picking_id": picking.id,
                                }
                            )
                        ]
                    }
                )

    def action_send_back(self):
        """Ship the repaired unit back to the customer from quarantine."""
        self._check_group(USER_GROUP, _("send repaired goods back"))
        self._lock_rows()
        for line in self:
            if line.outcome != "repair" or line.send_back_picking_id:
                raise UserError(_("Only a repaired unit is sent back, once."))
            if line.repair_id.state != "done":
                raise UserError(
                    _(
                        "Repair %(repair)s is not finished yet.",
                        repair=line.repair_id.name,
                    )
                )
            warehouse = line._warehouse()
            quarantine = line._quarantine()
            customer = self.env.ref("stock.stock_location_customers")
            partner = line.order_id.partner_shipping_id
            line.send_back_picking_id = line._create_picking(
                warehouse.out_type_id,
                quarantine,
                customer,
                partner,
                [
                    line._move_values(
                        line.product_id,
                        line.qty_received,
                        quarantine,
                        customer,
                        partner_id=partner.id,
                    )
                ],
            )
            line._prefill_lots(line.send_back_picking_id)
        self._mark_done_when_complete()
        return True

    # ------------------------------------------------------------------
    # Exchange
    # ------------------------------------------------------------------

    def _ship_replacements(self):
        customer = self.env.ref("stock.stock_location_customers")
        for line in self:
            warehouse = line._warehouse()
            order = line.order_id
            product = (
                line.exchange_product_id
                if line.outcome == "exchange_other"
                else line.product_id
            )
            qty = line.uom_id._compute_quantity(
                line.qty_received, line.product_id.uom_id
            )
            extra = {
                "partner_id": order.partner_shipping_id.id,
                "warehouse_id": warehouse.id,
                "group_id": order.procurement_group_id.id,
                "picking_type_id": warehouse.out_type_id.id,
            }
            if line.outcome == "exchange_same":
                # Delivered again on the same line: the order's delivered quantity
                # returns to what it was before the return.
                extra["sale_line_id"] = line.sale_line_id.id
            values = line._move_values(
                product, qty, warehouse.lot_stock_id, customer, **extra
            )
            values["product_uom"] = product.uom_id.id
            line.replacement_picking_id = line._create_picking(
                warehouse.out_type_id,
                warehouse.lot_stock_id,
                customer,
                order.partner_shipping_id,
                [values],
                group=order.procurement_group_id,
            )
            if line.outcome == "exchange_other":
                line._add_price_difference(product, qty)
        self._mark_done_when_complete()

    def _add_price_difference(self, product, qty):
        """The customer pays (or is credited) the price difference on the order."""
        self.ensure_one()
        sol = self.sale_line_id
        order = sol.order_id
        if order.pricelist_id:
            new_price = order.pricelist_id._get_product_price(
                product, qty, currency=order.currency_id
            )
        else:
            new_price = product.lst_price
        old_price = sol.price_unit * (1 - (sol.discount or 0.0) / 100.0)
        difference = new_price - old_price
        if order.currency_id.is_zero(difference):
            return
        diff_product = self.env.ref("aftersales_service.product_exchange_difference")
        self.difference_sale_line_id = (
            self.env["sale.order.line"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "product_id": diff_product.id,
                    "name": _(
                        "Exchange price difference: %(old)s → %(new)s (%(ticket)s)",
                        old=self.product_id.display_name,
                        new=product.display_name,
                        ticket=self.ticket_id.name,
                    ),
                    "product_uom_qty": qty,
                    "price_unit": difference,
                    "tax_id": [fields.Command.set(sol.tax_id.ids)],
                }
            )
        )

    # ------------------------------------------------------------------
    # Refund
    # ------------------------------------------------------------------

    def _refundable_qty(self):
        self.ensure_one()
        target = self.quantity if self.no_return else self.qty_received
        return max(target - self.qty_refunded, 0.0)

    def _check_can_refund(self):
        for line in self:
            name = line.product_id.display_name
            if line.outcome != "refund":
                raise UserError(
                    _("%(product)s was not returned for a refund.", product=name)
                )
            if line.no_return:
                if not line.company_id.aftersales_refund_without_return:
                    raise UserError(
                        _(
                            "Refunds without return are not allowed "
                            "in the After-Sales settings."
                        )
                    )
                if line.state not in ("approved", "done"):
                    raise UserError(
                        _(
                            "The refund of %(product)s must be approved first.",
                            product=name,
                        )
                    )
            elif line.state not in ("inspected", "done"):
                raise UserError(
                    _(
                        "%(product)s is refunded once it is received and inspected.",
                        product=name,
                    )
                )
            elif line.inspection_result == "customer_damage":
                raise UserError(
                    _(
                        "%(product)s was damaged by the customer: it is not refunded.",
                        product=name,
                    )
                )
            if float_is_zero(
                line._refundable_qty(), precision_rounding=line.uom_id.rounding
            ):
                raise UserError(
                    _(
                        "%(product)s has already been refunded (%(qty)s %(uom)s).",
                        product=name,
                        qty=line.qty_refunded,
                        uom=line.uom_id.name,
                    )
                )

    def _origin_invoice_line(self):
        self.ensure_one()
        invoice_lines = self.sale_line_id.sudo().invoice_lines.filtered(
            lambda aml: aml.move_id.move_type == "out_invoice"
            and aml.parent_state == "posted"
        )
        if not invoice_lines:
            raise UserError(
                _(
                    "%(order)s has not been invoiced for %(product)s: "
                    "there is nothing to "
                    "refund.",
                    order=self.order_id.name,
                    product=self.product_id.display_name,
                )
            )
        return invoice_lines.sorted(
            lambda aml: (aml.move_id.invoice_date or aml.date, aml.id)
        )[-1]

    def _create_refunds(self):
        """Draft credit notes reversing the original invoices for the refundable
        quantities, at the invoiced price; the sale lines' invoiced quantity falls."""
        self._lock_rows()
        self._check_can_refund()
        today = fields.Date.context_today(self)
        credit_notes = self.env["account.move"]
        by_invoice = defaultdict(list)
        for line in self:
            origin = line._origin_invoice_line()
            qty = line.uom_id._compute_quantity(
                line._refundable_qty(), origin.product_uom_id
            )
            invoiced = line.sale_line_id.product_uom._compute_quantity(
                line.sale_line_id.qty_invoiced, origin.product_uom_id
            )
            if (
                float_compare(
                    qty, invoiced, precision_rounding=origin.product_uom_id.rounding
                )
                > 0
            ):
                raise UserError(
                    _(
                        "Only %(qty)s %(uom)s of %(product)s are still "
                        "invoiced on %(order)s.",
                        qty=invoiced,
                        uom=origin.product_uom_id.name,
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                    )
                )
            by_invoice[origin.move_id].append((line, origin, qty))
        for invoice, items in by_invoice.items():
            ticket = items[0][0].ticket_id
            credit_note = (
                invoice.sudo()
                .with_company(invoice.company_id)
                ._reverse_moves(
                    [
                        {
                            "ref": _(
                                "Return %(ticket)s: refund of %(invoice)s",
                                ticket=ticket.name,
                                invoice=invoice.name,
                            ),
                            "invoice_date": today,
                            "date": today,
                            "aftersales_ticket_id": ticket.id,
                        }
                    ]
                )
            )
            product_lines = credit_note.invoice_line_ids.filtered(
                lambda aml: aml.display_type == "product"
            )
            credit_note.write(
                {
                    "invoice_line_ids": [
                        fields.Command.unlink(aml.id) for aml in product_lines
                    ]
                    + [
                        fields.Command.create(
                            line._prepare_refund_line_vals(origin, qty)
                        )
                        for line, origin, qty in items
                    ]
                }
            )
            credit_notes |= credit_note
        self.env.flush_all()
        self._mark_done_when_complete()
        return credit_notes

    def _prepare_refund_line_vals(self, origin, qty):
        return {
            "product_id": origin.product_id.id,
            "name": origin.name,
            "quantity": qty,
            "product_uom_id": origin.product_uom_id.id,
            "price_unit": origin.price_unit,
            "discount": origin.discount,
            "tax_ids": [fields.Command.set(origin.tax_ids.ids)],
            "account_id": origin.account_id.id,
            "analytic_distribution": origin.analytic_distribution,
            "sale_line_ids": [fields.Command.set(origin.sale_line_ids.ids)],
            "aftersales_return_line_id": self.id,
        }

    # ------------------------------------------------------------------
    # Cancellation
    # ------------------------------------------------------------------

    def action_cancel(self):
        self._check_group(USER_GROUP, _("cancel returns"))
        self._lock_rows()
        for line in self:
            if (
                line.qty_received
                or line.qty_refunded
                or line.state in ("inspected", "done")
            ):
                raise UserError(
                    _(
                        "Goods or money of %(product)s have already moved: the return "
                        "can no longer be cancelled.",
                        product=line.product_id.display_name,
                    )
                )
        self.sudo()._receipt_moves().filtered(
            lambda m: m.state not in ("done", "cancel")
        )._action_cancel()
        self.write({"state": "cancel"})
        return True
