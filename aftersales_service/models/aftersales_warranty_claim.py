from collections import defaultdict

import psycopg2

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, html2plaintext

from .aftersales_ticket_warranty import COVERED_STATES, MANAGER_GROUP, RESPONSIBILITIES

CLAIM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Sent Back"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("settled", "Settled"),
]
# Covered causes in the warranty terms of the seeds: manufacturing, assembly and
# material defects, bought-in components, installation.
FAILURE_TYPES = [
    ("manufacturing", "Manufacturing Defect"),
    ("assembly", "Assembly Defect"),
    ("material", "Material Quality"),
    ("component", "Purchased Component"),
    ("installation", "Installation"),
    ("other", "Other"),
]
# Set only by the claim's buttons, never by a plain write.
FLOW_FIELDS = {
    "state",
    "submitted_uid",
    "submitted_date",
    "first_approver_id",
    "first_approval_date",
    "approver_id",
    "approval_date",
    "decision_reason",
    "move_id",
    "recovery_id",
}
LOCKED_STATES = ("approved", "rejected", "settled")
ACCOUNT_GROUP = "account.group_account_invoice"


def lock_rows(records):
    """SELECT ... FOR UPDATE NOWAIT on the records' rows; a clear error when
    another transaction holds them. The cache is refreshed from the locked rows."""
    if not records.ids:
        return
    records.env.flush_all()
    try:
        with records.env.cr.savepoint(flush=False):
            records.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
    except psycopg2.errors.LockNotAvailable as error:
        raise UserError(
            records.env._(
                "Another user is processing these records right now; try again in "
                "a moment."
            )
        ) from error
    records.invalidate_recordset()


class AftersalesWarrantyClaim(models.Model):
    """A warranty claim (索赔单 / 三包换件申请): what an in-warranty job cost,
    who is liable, and what becomes of the failed parts."""

    _name = "aftersales.warranty.claim"
    _description = "Warranty Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # Not stored: lets the team overview count claims per team in one grouped query.
    team_id = fields.Many2one(related="ticket_id.team_id", string="Team")
    partner_id = fields.Many2one(
        related="ticket_id.partner_id", string="Customer", store=True
    )
    equipment_id = fields.Many2one(related="ticket_id.equipment_id", store=True)
    product_id = fields.Many2one(
        related="ticket_id.product_id", string="Product", store=True
    )
    lot_id = fields.Many2one(
        related="ticket_id.lot_id", string="Serial Number", store=True
    )
    warranty_state = fields.Selection(related="ticket_id.warranty_state")
    warranty_policy_id = fields.Many2one(related="ticket_id.warranty_policy_id")
    warranty_reason = fields.Char(related="ticket_id.warranty_reason")
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        compute="_compute_from_ticket",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    date = fields.Date(
        string="Claim Date", required=True, default=fields.Date.context_today
    )
    failure_date = fields.Date(
        compute="_compute_from_ticket", store=True, readonly=False, precompute=True
    )
    failure_type = fields.Selection(FAILURE_TYPES, tracking=True)
    fault_description = fields.Text(
        compute="_compute_from_ticket", store=True, readonly=False, precompute=True
    )
    diagnosis = fields.Text(
        string="Technician's Diagnosis",
        compute="_compute_from_jobs",
        store=True,
        readonly=False,
        precompute=True,
        help="Fault cause, preliminary analysis.",
    )
    hour_meter = fields.Float(
        string="Working Hours", help="Hour-meter reading of the unit."
    )
    operating_condition = fields.Char()
    site_address = fields.Char(
        string="Job Site",
        compute="_compute_from_jobs",
        store=True,
        readonly=False,
        precompute=True,
    )
    shipping_method = fields.Char(help="How the replacement part is shipped.")
    local_stock = fields.Boolean(
        string="Part in Local Stock",
        help="The replacement part is in stock at the local warehouse.",
    )
    required_date = fields.Date(string="Required Arrival Date")
    photo_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_warranty_claim_photo_rel",
        "claim_id",
        "attachment_id",
        string="Photos",
        help="Nameplate, overall view, failed part, damage detail, new part "
        "installed...",
    )
    photo_count = fields.Integer(compute="_compute_photo_count")
    part_ids = fields.One2many(
        "aftersales.warranty.claim.part", "claim_id", string="Parts Replaced"
    )
    used_product_ids = fields.Many2many(
        "product.product",
        compute="_compute_used_product_ids",
        help="Parts issued on the completed jobs of the ticket.",
    )
    labour_hours = fields.Float(
        compute="_compute_from_jobs", store=True, readonly=False, precompute=True
    )
    labour_rate = fields.Monetary(
        compute="_compute_rates",
        store=True,
        readonly=False,
        precompute=True,
    )
    labour_cost = fields.Monetary(compute="_compute_amounts", store=True)
    travel_distance = fields.Float(
        string="Travel Distance (km)",
        compute="_compute_from_jobs",
        store=True,
        readonly=False,
        precompute=True,
    )
    mileage_rate = fields.Monetary(
        compute="_compute_rates", store=True, readonly=False, precompute=True
    )
    travel_cost = fields.Monetary(
        string="Mileage Cost", compute="_compute_amounts", store=True
    )
    other_cost = fields.Monetary(string="Other Costs")
    other_cost_note = fields.Char(string="Other Costs For")
    parts_cost = fields.Monetary(compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, tracking=True
    )
    responsibility = fields.Selection(
        RESPONSIBILITIES,
        string="Responsible Party",
        default="undetermined",
        required=True,
        tracking=True,
    )
    supplier_id = fields.Many2one(
        "res.partner",
        string="Claimed Supplier",
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        help="The party claimed against, proposed from the vendors of the parts.",
    )
    state = fields.Selection(
        CLAIM_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    submitted_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    needs_second_approval = fields.Boolean(compute="_compute_needs_second_approval")
    first_approver_id = fields.Many2one(
        "res.users", string="First Approval", readonly=True, copy=False, tracking=True
    )
    first_approval_date = fields.Datetime(readonly=True, copy=False)
    approver_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False, tracking=True
    )
    approval_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    decision_reason = fields.Text(
        string="Reason", readonly=True, copy=False, tracking=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Warranty Cost Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    move_line_ids = fields.One2many(
        "account.move.line", "aftersales_claim_id", string="Journal Items"
    )
    recovery_id = fields.Many2one(
        "aftersales.supplier.recovery",
        string="Supplier Recovery",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    amount_claimed = fields.Monetary(
        string="Claimed from Supplier",
        compute="_compute_amount_claimed",
        store=True,
    )
    amount_recovered = fields.Monetary(
        string="Recovered", compute="_compute_amount_recovered", store=True
    )

    # ------------------------------------------------------------------
    # Defaults from the ticket and its jobs
    # ------------------------------------------------------------------

    @api.depends("ticket_id")
    def _compute_from_ticket(self):
        for claim in self:
            ticket = claim.ticket_id
            if not ticket:
                continue
            if not claim.user_id:
                claim.user_id = ticket.user_id or self.env.user
            if not claim.failure_date and ticket.date_received:
                claim.failure_date = fields.Date.context_today(
                    claim, ticket.date_received
                )
            if not claim.fault_description:
                text = html2plaintext(ticket.description or "").strip()
                claim.fault_description = text or ticket.subject

    def _done_jobs(self):
        """Completed visits and repairs of the claim's ticket."""
        self.ensure_one()
        ticket = self.ticket_id
        return (
            ticket.visit_ids.filtered(lambda v: v.state == "done"),
            ticket.repair_ids.filtered(lambda r: r.state == "done"),
        )

    @api.depends("ticket_id")
    def _compute_from_jobs(self):
        for claim in self:
            if not claim.ticket_id:
                continue
            visits, repairs = claim._done_jobs()
            first = not claim.ticket_id.claim_ids.filtered(
                lambda c, claim=claim: c != claim and c.state != "rejected"
            )
            # Labour and travel are claimed once per ticket.
            if first and not claim.labour_hours:
                claim.labour_hours = sum(visits.mapped("labour_hours")) + sum(
                    repairs.mapped("repair_hours")
                )
            if first and not claim.travel_distance:
                claim.travel_distance = sum(visits.mapped("travel_distance"))
            if not claim.diagnosis:
                causes = [cause for cause in visits.mapped("fault_cause") if cause]
                claim.diagnosis = "\n".join(causes) or False
            if not claim.site_address:
                claim.site_address = visits[:1].address or False

    @api.depends("company_id")
    def _compute_rates(self):
        for claim in self:
            company = claim.company_id or self.env.company
            if not claim.labour_rate:
                claim.labour_rate = (
                    company.aftersales_claim_labour_rate
                    or company.aftersales_labour_product_id.standard_price
                )
            if not claim.mileage_rate:
                claim.mileage_rate = (
                    company.aftersales_claim_mileage_rate
                    or company.aftersales_travel_product_id.standard_price
                )

    @api.depends("ticket_id")
    def _compute_used_product_ids(self):
        for claim in self:
            # A new claim has no ticket yet (its form opened from the list).
            used = claim.ticket_id._aftersales_used_parts() if claim.ticket_id else []
            claim.used_product_ids = self.env["product.product"].union(
                *[use["product"] for use in used]
            )

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        for claim in self:
            claim.photo_count = len(
                claim.photo_ids.filtered(
                    lambda a: (a.mimetype or "").startswith("image/")
                )
            )

    @api.depends(
        "part_ids.cost",
        "labour_hours",
        "labour_rate",
        "travel_distance",
        "mileage_rate",
        "other_cost",
    )
    def _compute_amounts(self):
        for claim in self:
            currency = claim.currency_id or self.env.company.currency_id
            claim.parts_cost = sum(claim.part_ids.mapped("cost"))
            claim.labour_cost = currency.round(claim.labour_hours * claim.labour_rate)
            claim.travel_cost = currency.round(
                claim.travel_distance * claim.mileage_rate
            )
            claim.amount_total = (
                claim.parts_cost + claim.labour_cost + claim.travel_cost
            ) + claim.other_cost

    @api.depends("responsibility", "part_ids.product_id")
    def _compute_supplier_id(self):
        for claim in self:
            if claim.responsibility != "supplier":
                claim.supplier_id = False
                continue
            if claim.supplier_id:
                continue
            for product in claim.part_ids.product_id:
                sellers = product.seller_ids.filtered(
                    lambda s, c=claim, p=product: s.company_id
                    in (c.company_id, s.browse())
                    and (not s.product_id or s.product_id == p)
                )
                if sellers:
                    claim.supplier_id = sellers[0].partner_id
                    break

    @api.depends("company_id.aftersales_claim_second_approval_amount", "amount_total")
    def _compute_needs_second_approval(self):
        for claim in self:
            limit = claim.company_id.aftersales_claim_second_approval_amount
            claim.needs_second_approval = bool(
                limit
                and claim.currency_id.compare_amounts(claim.amount_total, limit) > 0
            )

    @api.depends("responsibility", "amount_total")
    def _compute_amount_claimed(self):
        for claim in self:
            claim.amount_claimed = (
                claim.amount_total if claim.responsibility == "supplier" else 0.0
            )

    @api.depends(
        "move_line_ids.parent_state", "move_line_ids.balance", "move_line_ids.move_id"
    )
    def _compute_amount_recovered(self):
        for claim in self:
            lines = claim.move_line_ids.filtered(
                lambda line: line.parent_state == "posted"
                and line.move_id.move_type == "in_refund"
            )
            claim.amount_recovered = -sum(lines.mapped("balance"))

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.constrains("ticket_id")
    def _check_ticket_covered(self):
        for claim in self:
            ticket = claim.ticket_id
            exception = (
                ticket.service_category == "warranty" and ticket.category_approved
            )
            if ticket.warranty_state not in COVERED_STATES and not exception:
                raise ValidationError(
                    _(
                        "Ticket %(ticket)s is not covered by warranty (%(verdict)s) "
                        "and has no approved warranty exception: no warranty claim "
                        "can be raised for it.",
                        ticket=ticket.name,
                        verdict=ticket.warranty_reason,
                    )
                )

    @api.constrains(
        "labour_hours", "travel_distance", "other_cost", "labour_rate", "mileage_rate"
    )
    def _check_amounts(self):
        for claim in self:
            if (
                min(
                    claim.labour_hours,
                    claim.travel_distance,
                    claim.other_cost,
                    claim.labour_rate,
                    claim.mileage_rate,
                )
                < 0
            ):
                raise ValidationError(
                    _(
                        "Claim %(claim)s: hours, distances, rates and costs cannot be "
                        "negative.",
                        claim=claim.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("aftersales_claim_flow"):
            for vals in vals_list:
                if FLOW_FIELDS & set(vals):
                    raise UserError(_("A new warranty claim starts as a draft."))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.warranty.claim")
                    or "/"
                )
        claims = super().create(vals_list)
        for claim in claims:
            claim.ticket_id._message_log(
                body=_("Warranty claim %(claim)s raised.", claim=claim.name),
            )
        return claims

    def write(self, vals):
        if not self.env.context.get("aftersales_claim_flow"):
            if FLOW_FIELDS & set(vals):
                raise UserError(
                    _("Use the claim's buttons to submit, approve or reject it.")
                )
            data = {
                name for name in vals if not name.startswith(("message_", "activity_"))
            }
            locked = self.filtered(lambda c: c.state in LOCKED_STATES)
            if locked and data - {"photo_ids"}:
                raise UserError(
                    _(
                        "Claim %(claim)s is %(state)s: it can no longer be changed.",
                        claim=locked[0].name,
                        state=locked[0]._state_label(),
                    )
                )
        return super().write(vals)

    def unlink(self):
        for claim in self.filtered(lambda c: c.state not in ("draft", "returned")):
            raise UserError(
                _(
                    "Warranty claim %(claim)s is %(state)s: only a draft claim can be "
                    "deleted.",
                    claim=claim.name,
                    state=claim._state_label(),
                )
            )
        return super().unlink()

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _flow(self):
        return self.with_context(aftersales_claim_flow=True)

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP) and not self.env.su:
            raise AccessError(
                _("Only an After-Sales manager can decide on a warranty claim.")
            )

    def _lock_rows(self):
        """Lock the claims before a decision that posts money, so that two users
        approving or settling at the same time cannot post twice."""
        lock_rows(self)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_submit(self):
        for claim in self:
            if claim.state not in ("draft", "returned"):
                raise UserError(
                    _(
                        "Claim %(claim)s is %(state)s: only a draft or a claim sent "
                        "back can be submitted.",
                        claim=claim.name,
                        state=claim._state_label(),
                    )
                )
            if claim.currency_id.is_zero(claim.amount_total):
                raise UserError(
                    _(
                        "Claim %(claim)s claims nothing: add the parts replaced, "
                        "labour, travel or other costs.",
                        claim=claim.name,
                    )
                )
            if not (claim.fault_description or "").strip():
                raise UserError(
                    _("Claim %(claim)s: describe the fault.", claim=claim.name)
                )
            needed = claim.company_id.aftersales_claim_min_photos
            if claim.photo_count < needed:
                raise UserError(
                    _(
                        "Claim %(claim)s needs at least %(needed)s photos (nameplate, "
                        "failed part, new part installed...); it has %(count)s.",
                        claim=claim.name,
                        needed=needed,
                        count=claim.photo_count,
                    )
                )
            claim._flow().write(
                {
                    "state": "submitted",
                    "submitted_uid": self.env.uid,
                    "submitted_date": fields.Datetime.now(),
                    "first_approver_id": False,
                    "first_approval_date": False,
                }
            )
        return True

    def _check_decidable(self):
        self.ensure_one()
        if self.state != "submitted":
            raise UserError(
                _(
                    "Claim %(claim)s is %(state)s: only a submitted claim can be "
                    "decided.",
                    claim=self.name,
                    state=self._state_label(),
                )
            )

    def action_approve(self):
        self._check_manager()
        self._lock_rows()
        for claim in self:
            claim._check_decidable()
            if claim.responsibility == "customer":
                raise UserError(
                    _(
                        "Claim %(claim)s: the customer is responsible, so the claim "
                        "must be rejected and the ticket becomes paid service.",
                        claim=claim.name,
                    )
                )
            if claim.responsibility == "undetermined":
                raise UserError(
                    _(
                        "Claim %(claim)s: determine the responsible party first.",
                        claim=claim.name,
                    )
                )
            if claim.responsibility == "supplier" and not claim.supplier_id:
                raise UserError(
                    _(
                        "Claim %(claim)s: choose the supplier claimed against.",
                        claim=claim.name,
                    )
                )
            now = fields.Datetime.now()
            if claim.needs_second_approval and not claim.first_approver_id:
                claim._flow().write(
                    {"first_approver_id": self.env.uid, "first_approval_date": now}
                )
                claim._message_log(
                    body=_(
                        "First approval by %(user)s. The total %(amount)s is above "
                        "%(limit)s: a second, different manager must approve it.",
                        user=self.env.user.name,
                        amount=claim._format_amount(claim.amount_total),
                        limit=claim._format_amount(
                            claim.company_id.aftersales_claim_second_approval_amount
                        ),
                    ),
                )
                continue
            if claim.needs_second_approval and claim.first_approver_id == self.env.user:
                raise UserError(
                    _(
                        "Claim %(claim)s needs the approval of a second manager: you "
                        "already gave the first one.",
                        claim=claim.name,
                    )
                )
            move = claim._post_cost_entry()
            claim._flow().write(
                {
                    "state": "approved",
                    "approver_id": self.env.uid,
                    "approval_date": now,
                    "move_id": move.id,
                    "decision_reason": False,
                }
            )
            claim.ticket_id._message_log(
                body=_(
                    "Warranty claim %(claim)s approved: %(amount)s.",
                    claim=claim.name,
                    amount=claim._format_amount(claim.amount_total),
                ),
            )
        return True

    def _reject(self, reason, customer_responsible=False):
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(_("Say why the claim is rejected."))
        self._lock_rows()
        for claim in self:
            claim._check_decidable()
            customer = customer_responsible or claim.responsibility == "customer"
            values = {"state": "rejected", "decision_reason": reason.strip()}
            if customer:
                values["responsibility"] = "customer"
            claim._flow().write(values)
            if customer:
                # The customer pays: the ticket's category follows its responsibility.
                claim.ticket_id.responsibility = "customer"
            claim.ticket_id._message_log(
                body=_(
                    "Warranty claim %(claim)s rejected: %(reason)s",
                    claim=claim.name,
                    reason=reason.strip(),
                ),
            )
        return True

    def _send_back(self, reason):
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(_("Say what evidence the claim needs."))
        self._lock_rows()
        for claim in self:
            claim._check_decidable()
            claim._flow().write(
                {
                    "state": "returned",
                    "decision_reason": reason.strip(),
                    "first_approver_id": False,
                    "first_approval_date": False,
                }
            )
            claim.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("More evidence needed"),
                note=reason.strip(),
                user_id=(claim.submitted_uid or claim.user_id or self.env.user).id,
            )
        return True

    def action_settle(self):
        """Close an approved claim that our company bears; supplier claims are
        settled by the supplier's credit note."""
        user = self.env.user
        if not (user.has_group(MANAGER_GROUP) or user.has_group(ACCOUNT_GROUP)):
            raise AccessError(
                _("Only an After-Sales manager or an accountant can settle claims.")
            )
        self._lock_rows()
        for claim in self:
            if claim.state != "approved":
                raise UserError(
                    _(
                        "Claim %(claim)s is %(state)s: only an approved claim can be "
                        "settled.",
                        claim=claim.name,
                        state=claim._state_label(),
                    )
                )
            if claim.responsibility == "supplier":
                raise UserError(
                    _(
                        "Claim %(claim)s is settled by the supplier's credit note.",
                        claim=claim.name,
                    )
                )
        # Accountants read claims only: settling is theirs once checked above.
        self.sudo()._flow().write({"state": "settled"})
        return True

    def _format_amount(self, amount):
        self.ensure_one()
        return self.currency_id.format(amount) if self.currency_id else str(amount)

    # ------------------------------------------------------------------
    # Warranty cost entry
    # ------------------------------------------------------------------

    def _cost_entry_lines(self):
        """(debit account, credit account, amount, label, product) of each cost."""
        self.ensure_one()
        company = self.company_id
        expense = company._aftersales_claim_expense_account()
        if not expense:
            raise UserError(
                _(
                    "Set the warranty expense account in the After-Sales settings "
                    "before approving claims."
                )
            )
        costs = []
        for part in self.part_ids:
            credit = (
                company.aftersales_claim_parts_account_id
                or (
                    part.product_id.product_tmpl_id.with_company(
                        company
                    )._get_product_accounts()["stock_output"]
                )
            )
            label = part.product_id.display_name
            if part.lot_id:
                label = f"{label} ({part.lot_id.name})"
            costs.append((expense, credit, part.cost, label, part.product_id))
        no_product = self.env["product.product"]
        costs.append(
            (
                expense,
                company.aftersales_claim_labour_account_id,
                self.labour_cost,
                _("Labour: %(hours)s h", hours=self.labour_hours),
                no_product,
            )
        )
        costs.append(
            (
                expense,
                company.aftersales_claim_travel_account_id,
                self.travel_cost,
                _("Mileage: %(km)s km", km=self.travel_distance),
                no_product,
            )
        )
        costs.append(
            (
                expense,
                company.aftersales_claim_travel_account_id,
                self.other_cost,
                self.other_cost_note or _("Other costs"),
                no_product,
            )
        )
        costs = [cost for cost in costs if not self.currency_id.is_zero(cost[2])]
        missing = [label for _d, credit, _a, label, _p in costs if not credit]
        if missing:
            raise UserError(
                _(
                    "Claim %(claim)s: no account to credit for %(costs)s. Set the "
                    "claim cost accounts in the After-Sales settings.",
                    claim=self.name,
                    costs=", ".join(missing),
                )
            )
        return costs

    def _post_cost_entry(self):
        """Debit the warranty expense, credit where each cost was first booked."""
        self.ensure_one()
        if self.move_id:
            raise UserError(_("Claim %(claim)s is already posted.", claim=self.name))
        costs = self._cost_entry_lines()
        if not costs:
            return self.env["account.move"]
        partner = self.supplier_id or self.partner_id
        lines = []
        credit_totals = defaultdict(float)
        for debit, credit, amount, label, product in costs:
            lines.append(
                Command.create(
                    {
                        "name": f"{self.name}: {label}",
                        "account_id": debit.id,
                        "debit": amount,
                        "product_id": product.id,
                        "partner_id": partner.id,
                        "aftersales_claim_id": self.id,
                    }
                )
            )
            credit_totals[credit] += amount
        for credit, amount in credit_totals.items():
            lines.append(
                Command.create(
                    {
                        "name": _("%(claim)s: warranty cost", claim=self.name),
                        "account_id": credit.id,
                        "credit": amount,
                        "partner_id": partner.id,
                        "aftersales_claim_id": self.id,
                    }
                )
            )
        company = self.company_id
        # The approving manager needs no accounting rights to book the cost.
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company._aftersales_claim_journal().id,
                    "date": fields.Date.context_today(self),
                    "ref": _(
                        "Warranty claim %(claim)s, ticket %(ticket)s",
                        claim=self.name,
                        ticket=self.ticket_id.name,
                    ),
                    "line_ids": lines,
                }
            )
        )
        move.action_post()
        return move

    # ------------------------------------------------------------------
    # Old parts
    # ------------------------------------------------------------------

    def action_process_old_parts(self):
        parts = self.part_ids.filtered(lambda p: p._disposition_pending())
        if not parts:
            raise UserError(
                _("Choose a disposition for the failed parts still to be processed.")
            )
        parts.action_apply_disposition()
        return True

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def action_open_decision(self):
        self.ensure_one()
        self._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": _("Decide on Claim"),
            "res_model": "aftersales.warranty.claim.decision",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_claim_id": self.id,
                "default_decision": self.env.context.get("decision", "reject"),
            },
        }

    def action_claim_from_supplier(self):
        recoveries = self.env["aftersales.supplier.recovery"]._create_from_claims(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_supplier_recovery_action"
        )
        if len(recoveries) == 1:
            action.update(
                view_mode="form", res_id=recoveries.id, views=[(False, "form")]
            )
        else:
            action["domain"] = [("id", "in", recoveries.ids)]
        return action

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "form",
            "res_id": self.move_id.id,
        }

    def action_view_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.ticket_id.id,
        }
