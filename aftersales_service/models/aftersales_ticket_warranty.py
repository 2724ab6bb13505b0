import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

WARRANTY_STATES = [
    ("return", "Within Return Window"),
    ("exchange", "Within Exchange Window"),
    ("in_warranty", "In Warranty"),
    ("expired", "Out of Warranty"),
    ("unknown", "Unknown"),
]
COVERED_STATES = ("return", "exchange", "in_warranty")
RESPONSIBILITIES = [
    ("undetermined", "Undetermined"),
    ("company", "Our Company"),
    ("supplier", "Supplier"),
    ("customer", "Customer"),
]
SERVICE_CATEGORIES = [
    ("paid", "Paid"),
    ("contract", "Contract"),
    ("warranty", "Warranty (Free)"),
    ("internal", "Internal"),
]
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"
MANAGER_FIELDS = {
    "warranty_override",
    "warranty_override_reason",
    "warranty_override_uid",
    "warranty_override_date",
    "category_approved_uid",
    "category_approved_date",
    "category_approval_reason",
    "category_approved_value",
}


class AftersalesTicket(models.Model):
    """Warranty verdict, responsibility and the paid-or-free decision of a ticket."""

    _inherit = "aftersales.ticket"

    equipment_id = fields.Many2one(
        "aftersales.equipment",
        string="Customer Equipment",
        compute="_compute_equipment_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=?', partner_id)]",
    )
    warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        compute="_compute_warranty_verdict",
        store=True,
        precompute=True,
    )
    warranty_state = fields.Selection(
        WARRANTY_STATES,
        string="Warranty",
        compute="_compute_warranty_verdict",
        store=True,
        precompute=True,
        index=True,
        tracking=True,
    )
    warranty_end = fields.Date(
        compute="_compute_warranty_verdict", store=True, precompute=True
    )
    return_until = fields.Date(
        string="Return Window Until",
        compute="_compute_warranty_verdict",
        store=True,
        precompute=True,
    )
    exchange_until = fields.Date(
        string="Exchange Window Until",
        compute="_compute_warranty_verdict",
        store=True,
        precompute=True,
    )
    warranty_reason = fields.Char(
        string="Warranty Verdict", compute="_compute_warranty_reason"
    )
    warranty_override = fields.Selection(
        WARRANTY_STATES,
        string="Verdict Set By Manager",
        copy=False,
        tracking=True,
        help="A manager's verdict replaces the computed one.",
    )
    warranty_override_reason = fields.Text(string="Override Reason", copy=False)
    warranty_override_uid = fields.Many2one(
        "res.users", string="Overridden By", copy=False
    )
    warranty_override_date = fields.Datetime(string="Overridden On", copy=False)

    responsibility = fields.Selection(
        RESPONSIBILITIES, default="undetermined", required=True, tracking=True
    )
    service_category = fields.Selection(
        SERVICE_CATEGORIES,
        compute="_compute_service_category",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Proposed from the warranty verdict and the responsibility. Free service "
        "outside warranty, or paid service inside it, needs a manager's approval.",
    )
    category_needs_approval = fields.Boolean(compute="_compute_category_approval")
    category_approved = fields.Boolean(compute="_compute_category_approval")
    category_approved_value = fields.Selection(SERVICE_CATEGORIES, copy=False)
    category_approved_uid = fields.Many2one(
        "res.users", string="Approved By", copy=False
    )
    category_approved_date = fields.Datetime(string="Approved On", copy=False)
    category_approval_reason = fields.Text(string="Approval Reason", copy=False)

    # ------------------------------------------------------------------
    # Equipment and verdict
    # ------------------------------------------------------------------

    @api.depends("lot_id")
    def _compute_equipment_id(self):
        equipment = (
            self.env["aftersales.equipment"].search(
                [("lot_id", "in", self.lot_id.ids)],
                order="state, delivery_date desc, id desc",
            )
            if self.lot_id
            else self.env["aftersales.equipment"]
        )
        by_lot = {}
        for record in equipment:
            by_lot.setdefault(record.lot_id.id, record)
        for ticket in self:
            found = by_lot.get(ticket.lot_id.id)
            if found and not ticket._equipment_of_other_customer(found):
                ticket.equipment_id = found

    def _equipment_of_other_customer(self, equipment):
        # Another customer's unit must not bring its owner onto the ticket.
        owner = equipment.partner_id.commercial_partner_id
        customer = self.partner_id.commercial_partner_id
        return bool(owner and customer and owner != customer)

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        equipment = self.equipment_id
        if equipment:
            self.partner_id = equipment.partner_id
            self.product_id = equipment.product_id
            self.lot_id = equipment.lot_id

    def _warranty_facts(self, policies):
        """What the verdict rests on: policy, delivery, start and end dates."""
        self.ensure_one()
        equipment = self.equipment_id
        if equipment:
            policy = equipment.warranty_policy_id
            delivery_date = equipment.delivery_date
            picking = equipment.picking_id
            start, end = equipment.warranty_start, equipment.warranty_end
            extension = sum(equipment.extension_ids.mapped("months"))
        else:
            policy = policies.get(
                self.product_id.id, self.env["aftersales.warranty.policy"]
            )
            picking = self.picking_id
            delivery_date = picking.date_done and fields.Date.context_today(
                self.with_context(tz=self.company_id._aftersales_tz()),
                picking.date_done,
            )
            start, extension = delivery_date, 0
            end = policy and start and policy._end_date(start)
        return {
            "policy": policy,
            "picking": picking,
            "delivery_date": delivery_date,
            "start": start,
            "end": end or False,
            "extension": extension,
            "basis": policy.start_basis if policy else False,
        }

    def _received_day(self):
        tz = pytz.timezone(self.company_id._aftersales_tz())
        return pytz.utc.localize(self.date_received).astimezone(tz).date()

    def _verdict_from_facts(self, facts):
        policy, delivery_date, end = (
            facts["policy"],
            facts["delivery_date"],
            facts["end"],
        )
        values = {
            "warranty_policy_id": policy.id,
            "warranty_end": end,
            "return_until": False,
            "exchange_until": False,
            "warranty_state": "unknown",
        }
        if not (policy and delivery_date and end):
            return values
        values["return_until"] = fields.Date.add(delivery_date, days=policy.return_days)
        values["exchange_until"] = fields.Date.add(
            delivery_date, days=policy.exchange_days
        )
        day = self._received_day()
        if day <= values["return_until"]:
            values["warranty_state"] = "return"
        elif day <= values["exchange_until"]:
            values["warranty_state"] = "exchange"
        elif day <= end:
            values["warranty_state"] = "in_warranty"
        else:
            values["warranty_state"] = "expired"
        return values

    def _product_policies(self):
        policies = {}
        for company, tickets in self.grouped("company_id").items():
            policies.update(
                self.env["aftersales.warranty.policy"]._policy_for_products(
                    tickets.product_id, company
                )
            )
        return policies

    @api.depends(
        "equipment_id.warranty_policy_id",
        "equipment_id.warranty_start",
        "equipment_id.warranty_end",
        "equipment_id.delivery_date",
        "picking_id.date_done",
        "product_id",
        "date_received",
        "company_id",
        "warranty_override",
    )
    def _compute_warranty_verdict(self):
        policies = self._product_policies()
        for ticket in self:
            values = ticket._verdict_from_facts(ticket._warranty_facts(policies))
            if ticket.warranty_override:
                values["warranty_state"] = ticket.warranty_override
            ticket.update(values)

    @api.depends(
        "warranty_state",
        "warranty_end",
        "warranty_policy_id",
        "warranty_override_reason",
    )
    @api.depends_context("lang")
    def _compute_warranty_reason(self):
        policies = self._product_policies()
        for ticket in self:
            ticket.warranty_reason = ticket._warranty_reason_text(
                ticket._warranty_facts(policies)
            )

    def _selection_label(self, fname, value=None):
        """The translated label of a selection value (the record's own by default)."""
        self.ensure_one()
        labels = dict(self._fields[fname]._description_selection(self.env))
        return labels.get(self[fname] if value is None else value, "")

    def _warranty_reason_text(self, facts):
        """One line a service agent can read to the customer."""
        if self.warranty_override:
            return _(
                "%(verdict)s, set by %(user)s: %(reason)s",
                verdict=self._selection_label("warranty_override"),
                user=self.warranty_override_uid.name or "",
                reason=self.warranty_override_reason or "",
            )
        policy = facts["policy"]
        if not facts["delivery_date"]:
            return _("Unknown: no delivery of this unit to a customer was found.")
        if not policy:
            return _(
                "Unknown: no warranty policy applies to %(product)s.",
                product=self.product_id.display_name,
            )
        origin = _(
            "delivered %(date)s on %(picking)s",
            date=fields.Date.to_string(facts["delivery_date"]),
            picking=facts["picking"].name or _("an unknown delivery"),
        )
        if facts["start"] != facts["delivery_date"]:
            start = fields.Date.to_string(facts["start"])
            if facts["basis"] == "installation":
                origin = _("%(origin)s, installed %(date)s", origin=origin, date=start)
            else:
                origin = _("%(origin)s, invoiced %(date)s", origin=origin, date=start)
        terms = _(
            "%(length)s policy '%(policy)s'",
            length=policy._length_label(),
            policy=policy.name,
        )
        if facts["extension"]:
            terms = _(
                "%(terms)s extended by %(months)s months",
                terms=terms,
                months=facts["extension"],
            )
        state = self.warranty_state
        if state == "return":
            head = _(
                "Within the %(days)s-day return window until %(date)s",
                days=policy.return_days,
                date=fields.Date.to_string(self.return_until),
            )
        elif state == "exchange":
            head = _(
                "Within the %(days)s-day exchange window until %(date)s",
                days=policy.exchange_days,
                date=fields.Date.to_string(self.exchange_until),
            )
        elif state == "in_warranty":
            head = _(
                "In warranty until %(date)s",
                date=fields.Date.to_string(self.warranty_end),
            )
        else:
            head = _(
                "Out of warranty since %(date)s",
                date=fields.Date.to_string(self.warranty_end),
            )
        return _(
            "%(head)s: %(origin)s, %(terms)s", head=head, origin=origin, terms=terms
        )

    # ------------------------------------------------------------------
    # Paid or free
    # ------------------------------------------------------------------

    @api.depends("warranty_state", "responsibility")
    def _compute_service_category(self):
        for ticket in self:
            if ticket.service_category in ("contract", "internal"):
                continue
            covered = ticket.warranty_state in COVERED_STATES
            if covered and ticket.responsibility != "customer":
                ticket.service_category = "warranty"
            else:
                ticket.service_category = "paid"

    @api.depends(
        "service_category",
        "warranty_state",
        "responsibility",
        "category_approved_value",
        "category_approved_uid",
    )
    def _compute_category_approval(self):
        for ticket in self:
            covered = ticket.warranty_state in COVERED_STATES
            needs = (ticket.service_category == "warranty" and not covered) or (
                ticket.service_category == "paid"
                and covered
                and ticket.responsibility != "customer"
            )
            ticket.category_needs_approval = needs
            ticket.category_approved = bool(
                needs
                and ticket.category_approved_uid
                and ticket.category_approved_value == ticket.service_category
            )

    def _check_manager(self, what):
        if not self.env.user.has_group(MANAGER_GROUP) and not self.env.su:
            raise AccessError(_("Only an After-Sales manager can %(what)s.", what=what))

    def write(self, vals):
        # Approvals and overrides are a manager's, whatever path the write takes.
        if MANAGER_FIELDS & set(vals):
            self._check_manager(
                _("approve service categories or override warranty verdicts")
            )
        return super().write(vals)

    def _check_stage_move(self, new_stage, vals):
        res = super()._check_stage_move(new_stage, vals)
        if new_stage.kind in ("resolved", "closed"):
            pending = self.filtered(
                lambda t: t.category_needs_approval and not t.category_approved
            )
            if pending:
                raise UserError(
                    _(
                        "Ticket %(ticket)s is %(category)s against its warranty "
                        "verdict (%(verdict)s): a manager must approve it first.",
                        ticket=pending[0].name,
                        category=pending[0]._selection_label("service_category"),
                        verdict=pending[0].warranty_reason,
                    )
                )
        return res

    def _approve_service_category(self, reason):
        """Record a manager's approval of the ticket's current category."""
        self._check_manager(_("approve a service category"))
        if not reason:
            raise UserError(_("Say why the service category is approved."))
        for ticket in self:
            if not ticket.category_needs_approval:
                raise UserError(
                    _("Ticket %(ticket)s needs no approval.", ticket=ticket.name)
                )
            ticket.write(
                {
                    "category_approved_value": ticket.service_category,
                    "category_approved_uid": self.env.uid,
                    "category_approved_date": fields.Datetime.now(),
                    "category_approval_reason": reason,
                }
            )
            ticket._message_log(
                body=_(
                    "Service category %(category)s approved by %(user)s: %(reason)s",
                    category=ticket._selection_label("service_category"),
                    user=self.env.user.name,
                    reason=reason,
                ),
            )

    def _override_warranty(self, state, reason):
        """A manager replaces the computed verdict, with a reason; tracked."""
        self._check_manager(_("override a warranty verdict"))
        if state and not reason:
            raise UserError(_("Say why the warranty verdict is overridden."))
        self.write(
            {
                "warranty_override": state or False,
                "warranty_override_reason": reason if state else False,
                "warranty_override_uid": self.env.uid if state else False,
                "warranty_override_date": fields.Datetime.now() if state else False,
            }
        )

    def _open_wizard(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_open_category_approval(self):
        return self._open_wizard(
            "aftersales.ticket.category.approve", _("Approve Service Category")
        )

    def action_open_warranty_override(self):
        return self._open_wizard(
            "aftersales.ticket.warranty.override", _("Override Warranty Verdict")
        )
