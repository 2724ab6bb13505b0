from collections import defaultdict

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

EQUIPMENT_STATES = [
    ("in_service", "At Customer"),
    ("returned", "Returned"),
]


class AftersalesEquipment(models.Model):
    """Installed base: one record per delivered serial (or lot, or unit)."""

    _name = "aftersales.equipment"
    _description = "Customer Equipment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "delivery_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "lot_id.name", "partner_id.name"]

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        EQUIPMENT_STATES, required=True, default="in_service", tracking=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site Address",
        tracking=True,
        help="Where the unit is installed: the delivery address.",
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index=True,
        tracking=True,
        check_company=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Order Line", tracking=True
    )
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", store=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", tracking=True)
    delivery_date = fields.Date(tracking=True)
    installation_date = fields.Date(tracking=True)
    return_picking_id = fields.Many2one("stock.picking", string="Return", readonly=True)
    warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        compute="_compute_warranty_policy_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    invoice_date = fields.Date(compute="_compute_invoice_date", store=True)
    extension_ids = fields.One2many(
        "aftersales.warranty.extension", "equipment_id", string="Warranty Extensions"
    )
    warranty_start = fields.Date(compute="_compute_warranty", store=True)
    warranty_end = fields.Date(compute="_compute_warranty", store=True, index=True)
    warranty_status = fields.Char(
        string="Warranty Today", compute="_compute_warranty_status"
    )
    ticket_ids = fields.One2many("aftersales.ticket", "equipment_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_stats")
    picking_count = fields.Integer(
        string="Deliveries and Returns", compute="_compute_picking_count"
    )
    repeat_failure_count = fields.Integer(
        compute="_compute_ticket_stats",
        help="Tickets opened within the repeat-failure window after a previous one.",
    )
    notes = fields.Html()

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "An equipment quantity must be positive.",
        ),
    ]

    @api.depends("product_id", "lot_id")
    def _compute_name(self):
        for equipment in self:
            parts = [
                equipment.product_id.display_name or "",
                equipment.lot_id.name or "",
            ]
            equipment.name = " / ".join(part for part in parts if part)

    @api.depends("product_id")
    def _compute_warranty_policy_id(self):
        policies = {}
        for company, records in self.grouped("company_id").items():
            policies.update(
                self.env["aftersales.warranty.policy"]._policy_for_products(
                    records.product_id, company
                )
            )
        for equipment in self:
            equipment.warranty_policy_id = policies.get(equipment.product_id.id)

    @api.depends(
        "sale_line_id.invoice_lines.move_id.state",
        "sale_line_id.invoice_lines.move_id.invoice_date",
    )
    def _compute_invoice_date(self):
        for equipment in self:
            invoices = equipment.sale_line_id.sudo().invoice_lines.move_id.filtered(
                lambda m: m.state == "posted"
                and m.move_type == "out_invoice"
                and m.invoice_date
            )
            equipment.invoice_date = min(invoices.mapped("invoice_date"), default=False)

    @api.depends(
        "warranty_policy_id.duration",
        "warranty_policy_id.duration_unit",
        "warranty_policy_id.start_basis",
        "delivery_date",
        "installation_date",
        "invoice_date",
        "extension_ids.months",
    )
    def _compute_warranty(self):
        for equipment in self:
            policy = equipment.warranty_policy_id
            start = equipment._warranty_start_date()
            equipment.warranty_start = start
            if not (policy and start):
                equipment.warranty_end = False
                continue
            extra = sum(equipment.extension_ids.mapped("months"))
            equipment.warranty_end = policy._end_date(start) + relativedelta(
                months=extra
            )

    @api.depends("warranty_end", "warranty_policy_id", "extension_ids.months")
    @api.depends_context("lang")
    def _compute_warranty_status(self):
        for equipment in self:
            end = equipment.warranty_end
            if not end:
                equipment.warranty_status = _("No warranty policy or delivery date")
                continue
            if equipment._company_today() <= end:
                status = _(
                    "In warranty until %(date)s", date=fields.Date.to_string(end)
                )
            else:
                status = _(
                    "Out of warranty since %(date)s", date=fields.Date.to_string(end)
                )
            extra = sum(equipment.extension_ids.mapped("months"))
            if extra:
                status = _(
                    "%(status)s (extended by %(months)s months)",
                    status=status,
                    months=extra,
                )
            equipment.warranty_status = status

    def _warranty_start_date(self):
        """Start date by the policy's basis, falling back to the delivery."""
        self.ensure_one()
        basis = self.warranty_policy_id.start_basis
        if basis == "installation" and self.installation_date:
            return self.installation_date
        if basis == "invoice" and self.invoice_date:
            return self.invoice_date
        return self.delivery_date

    def _compute_ticket_stats(self):
        tickets = self.env["aftersales.ticket"].search_read(
            [("equipment_id", "in", self.ids)],
            ["equipment_id", "date_received"],
            order="date_received",
        )
        by_equipment = defaultdict(list)
        for ticket in tickets:
            by_equipment[ticket["equipment_id"][0]].append(ticket["date_received"])
        for equipment in self:
            dates = by_equipment.get(equipment.id, [])
            window = relativedelta(days=equipment.company_id.aftersales_repeat_days)
            equipment.ticket_count = len(dates)
            equipment.repeat_failure_count = sum(
                1
                for previous, current in zip(dates, dates[1:], strict=False)
                if current <= previous + window
            )

    def _customer_pickings(self):
        """Deliveries to and returns from customers that moved this unit."""
        self.ensure_one()
        if self.lot_id:
            domain = [("move_line_ids.lot_id", "=", self.lot_id.id)]
        else:
            domain = [("id", "in", (self.picking_id | self.return_picking_id).ids)]
        domain += [
            ("state", "=", "done"),
            "|",
            ("location_id.usage", "=", "customer"),
            ("location_dest_id.usage", "=", "customer"),
        ]
        return self.env["stock.picking"].search(domain)

    def _compute_picking_count(self):
        for equipment in self:
            equipment.picking_count = len(equipment._customer_pickings())

    @api.constrains("installation_date", "delivery_date")
    def _check_installation_date(self):
        for equipment in self:
            if (
                equipment.installation_date
                and equipment.delivery_date
                and equipment.installation_date < equipment.delivery_date
            ):
                raise ValidationError(
                    _(
                        "%(equipment)s cannot be installed "
                        "on %(installed)s, before its "
                        "delivery on %(delivered)s.",
                        equipment=equipment.display_name,
                        installed=equipment.installation_date,
                        delivered=equipment.delivery_date,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_mark_installed(self):
        for equipment in self.filtered(lambda e: not e.installation_date):
            equipment.installation_date = equipment._company_today()
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action.update(
            domain=[("equipment_id", "=", self.id)],
            context={
                "default_equipment_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_product_id": self.product_id.id,
                "default_lot_id": self.lot_id.id,
            },
            view_mode="list,kanban,form",
            views=[(False, "list"), (False, "kanban"), (False, "form")],
        )
        return action

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action.update(
            domain=[("id", "in", self._customer_pickings().ids)],
            context={"create": False},
        )
        return action

    def _company_today(self):
        self.ensure_one()
        return (
            fields.Datetime.now()
            .astimezone(pytz.timezone(self.company_id._aftersales_tz()))
            .date()
        )

    # ------------------------------------------------------------------
    # Keeping the installed base in step with the warehouse
    # ------------------------------------------------------------------

    @api.model
    def _register_customer_moves(self, moves):
        """Create, move or close equipment for done moves to and from customers."""
        moves = moves.filtered(lambda m: m.state == "done")
        deliveries = moves.filtered(
            lambda m: m.location_dest_id.usage == "customer"
            and m.location_id.usage != "customer"
        )
        returns = moves.filtered(
            lambda m: m.location_id.usage == "customer"
            and m.location_dest_id.usage != "customer"
        )
        if deliveries:
            self._register_deliveries(deliveries)
        if returns:
            self._register_returns(returns)

    @api.model
    def _registered_serials(self, lots):
        """{lot id: equipment} for serial numbers already in the installed base."""
        serials = lots.filtered(lambda lot: lot.product_id.tracking == "serial")
        if not serials:
            return {}
        equipment = self.with_context(active_test=False).search(
            [("lot_id", "in", serials.ids)]
        )
        return {record.lot_id.id: record for record in equipment}

    @api.model
    def _register_deliveries(self, moves):
        serials = self._registered_serials(moves.move_line_ids.lot_id)
        to_create = []
        for move in moves:
            product = move.product_id
            if (
                product.tracking != "serial"
                and not product.aftersales_register_equipment
            ):
                continue
            values = move._aftersales_equipment_values()
            if product.tracking == "none":
                to_create.extend(dict(values) for _unit in range(int(move.quantity)))
                continue
            for move_line in move.move_line_ids.filtered("lot_id"):
                line_values = dict(
                    values, lot_id=move_line.lot_id.id, quantity=move_line.quantity
                )
                equipment = serials.get(move_line.lot_id.id)
                if equipment:
                    # The serial reaches a customer again: it moves, its history stays.
                    equipment.write(
                        dict(
                            line_values,
                            state="in_service",
                            active=True,
                            return_picking_id=False,
                        )
                    )
                    continue
                if product.tracking == "lot":
                    same_lot = self.search(
                        [
                            ("lot_id", "=", move_line.lot_id.id),
                            ("partner_id", "=", values["partner_id"]),
                            ("state", "=", "in_service"),
                        ],
                        limit=1,
                    )
                    if same_lot:
                        same_lot.quantity += move_line.quantity
                        continue
                to_create.append(line_values)
        if to_create:
            created = self.create(to_create)
            created._apply_invoiced_extensions()

    @api.model
    def _register_returns(self, moves):
        for move in moves:
            origin = move.origin_returned_move_id
            partner = (
                move.picking_id.partner_id or move.partner_id
            ).commercial_partner_id
            if move.product_id.tracking == "none":
                candidates = self.search(
                    [
                        ("product_id", "=", move.product_id.id),
                        ("partner_id", "=", partner.id),
                        ("state", "=", "in_service"),
                        ("lot_id", "=", False),
                    ]
                    + (
                        [("picking_id", "=", origin.picking_id.id)]
                        if origin.picking_id
                        else []
                    ),
                    order="delivery_date desc, id desc",
                    limit=int(move.quantity),
                )
                candidates.write(
                    {"state": "returned", "return_picking_id": move.picking_id.id}
                )
                continue
            for move_line in move.move_line_ids.filtered("lot_id"):
                equipment = self.search(
                    [
                        ("lot_id", "=", move_line.lot_id.id),
                        ("partner_id", "=", partner.id),
                        ("state", "=", "in_service"),
                    ],
                    limit=1,
                )
                if not equipment:
                    continue
                remaining = equipment.quantity - move_line.quantity
                if remaining > 0:
                    equipment.quantity = remaining
                else:
                    equipment.write(
                        {"state": "returned", "return_picking_id": move.picking_id.id}
                    )

    def _apply_invoiced_extensions(self):
        """Extended warranties already invoiced on the equipment's sale order."""
        orders = self.sale_order_id
        if not orders:
            return
        lines = orders.order_line.filtered(
            lambda line: line.product_id.aftersales_extension_months > 0
            and line.qty_invoiced > 0
            and not line.aftersales_equipment_id
        )
        if lines:
            self.env["aftersales.warranty.extension"]._extend_from_lines(lines)
