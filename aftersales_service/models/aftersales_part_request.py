from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_ticket_warranty import MANAGER_GROUP

REQUEST_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]


class AftersalesPartRequest(models.Model):
    """A technician's request for spare parts (备件申请), approved by a manager and
    carried out as an internal transfer to the technician's van."""

    _name = "aftersales.part.request"
    _description = "Spare-Part Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    location_dest_id = fields.Many2one(
        "stock.location",
        string="Deliver To",
        required=True,
        compute="_compute_location_dest_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        help="The technician's van; parts are transferred there once approved.",
    )
    line_ids = fields.One2many(
        "aftersales.part.request.line", "request_id", string="Parts"
    )
    reason = fields.Text()
    state = fields.Selection(
        REQUEST_STATES, default="draft", required=True, tracking=True
    )
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, copy=False
    )
    picking_state = fields.Selection(
        related="picking_id.state", string="Transfer Status"
    )

    @api.depends("user_id")
    def _compute_location_dest_id(self):
        for request in self:
            van = self.env["stock.location"]._aftersales_van_of(request.user_id)
            if van:
                request.location_dest_id = van

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.part.request")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & {"line_ids", "location_dest_id", "ticket_id"} and self.filtered(
            lambda r: r.state not in ("draft", "rejected")
        ):
            raise UserError(_("Only a draft spare-part request can be changed."))
        return super().write(vals)

    def action_submit(self):
        for request in self:
            if request.state not in ("draft", "rejected"):
                raise UserError(
                    _("Request %(name)s is already submitted.", name=request.name)
                )
            if not request.line_ids:
                raise UserError(
                    _("Add the parts you need to %(name)s.", name=request.name)
                )
        self.write({"state": "submitted", "reject_reason": False})
        return True

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                _(
                    "Only an After-Sales manager can approve or reject spare-part "
                    "requests."
                )
            )

    def action_approve(self):
        self._check_manager()
        for request in self:
            if request.state != "submitted":
                raise UserError(
                    _(
                        "Request %(name)s is not waiting for approval.",
                        name=request.name,
                    )
                )
            picking = request.sudo()._create_transfer()
            request.write(
                {
                    "state": "approved",
                    "approved_uid": self.env.uid,
                    "approved_date": fields.Datetime.now(),
                    "picking_id": picking.id,
                }
            )
        return True

    def action_reject(self, reason=None):
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(_("Give the reason for rejecting the request."))
        for request in self:
            if request.state != "submitted":
                raise UserError(
                    _(
                        "Request %(name)s is not waiting for approval.",
                        name=request.name,
                    )
                )
        self.write({"state": "rejected", "reject_reason": reason.strip()})
        return True

    def action_open_reject(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Spare-Part Request"),
            "res_model": "aftersales.part.request.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_cancel(self):
        if self.filtered(
            lambda r: r.state == "approved" and r.picking_id.state == "done"
        ):
            raise UserError(
                _("The parts of this request have already been transferred.")
            )
        self.picking_id.filtered(lambda p: p.state != "done").action_cancel()
        self.write({"state": "cancelled"})
        return True

    def _create_transfer(self):
        self.ensure_one()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        picking_type = warehouse.int_type_id
        if not picking_type:
            raise UserError(_("The warehouse has no internal transfer operation."))
        source = picking_type.default_location_src_id or warehouse.lot_stock_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": self.location_dest_id.id,
                "origin": f"{self.ticket_id.name} / {self.name}",
                "aftersales_part_request_id": self.id,
                "company_id": self.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": line.product_id.display_name,
                            "product_id": line.product_id.id,
                            "product_uom": line.product_uom_id.id,
                            "product_uom_qty": line.quantity,
                            "location_id": source.id,
                            "location_dest_id": self.location_dest_id.id,
                            "company_id": self.company_id.id,
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def action_view_transfer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        for request in self:
            if request.state != "draft":
                raise UserError(
                    _(
                        "Spare-part request %(request)s has been submitted: it stays "
                        "on record. Cancel it if the parts are no longer needed.",
                        request=request.name,
                    )
                )


class AftersalesPartRequestLine(models.Model):
    _name = "aftersales.part.request.line"
    _description = "Spare-Part Request Line"
    _check_company_auto = True

    request_id = fields.Many2one(
        "aftersales.part.request", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        domain=[("type", "=", "consu")],
        check_company=True,
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", required=True
    )
    product_uom_id = fields.Many2one(
        "uom.uom", related="product_id.uom_id", string="Unit"
    )

    @api.constrains("quantity")
    def _check_quantity(self):
        if any(line.quantity <= 0 for line in self):
            raise ValidationError(_("A requested quantity must be positive."))
